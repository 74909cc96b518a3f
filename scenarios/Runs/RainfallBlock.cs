namespace CityTwin.Scenarios.Runs;

/// <summary>One block of a hyetograph: <paramref name="Minutes"/> of rain totalling <paramref name="Mm"/>.</summary>
public sealed record RainfallBlock(double Minutes, double Mm);
