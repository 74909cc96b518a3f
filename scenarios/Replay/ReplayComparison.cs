namespace CityTwin.Scenarios.Replay;

/// <summary>
/// Forecast against recorded for one entity (a gauge's level, a sensor's value): the forecast made at the replay's start
/// (the trend of the readings before it), its mean absolute and largest errors, and the peaks.
/// </summary>
public sealed record ReplayComparison(
    string EntityId, string Type, int Readings, double? ForecastBasisValue, double? ForecastTrendPerHour, double? MeanAbsoluteError, double? MaxAbsoluteError,
    double RecordedPeak, double? ForecastPeak, IReadOnlyList<ReplayPoint> Points);
