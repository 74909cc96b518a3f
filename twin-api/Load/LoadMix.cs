using System.Globalization;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// What the harness sends besides sensor readings, per 1,000 readings. The defaults come from the generated district's
/// make-up and common reporting habits (docs/PERFORMANCE.md, "What the harness drives", shows the arithmetic):
/// <list type="bullet">
/// <item>Vehicle positions, 20 per 1,000 readings: the default district (2,000 buildings) has 26 patrol cars and muck
/// trucks on the road beside 13,041 sensors. Their trackers report every 5-10 s while sensors report about once a
/// minute, so positions are (26 / 5-10 s) / (13,041 / 60 s) = 12-24 per 1,000 readings.</item>
/// <item>Citizen reports, 0.1 per 1,000 readings (one per 10,000): big-city 12345 hotlines take on the order of one
/// request per resident per year (Beijing's, roughly 20 million a year for 22 million residents). The default district's
/// 333,000 residents then file 0.011 reports/s against 217 readings/s, 0.05 per 1,000 on average; most requests come
/// in the daytime, about twice the mean rate.</item>
/// </list>
/// </summary>
/// <param name="PositionsPer1000">Vehicle positions sent per 1,000 sensor readings (batched like readings).</param>
/// <param name="ReportsPer1000">Citizen reports sent per 1,000 sensor readings (one request each, as the API takes them).</param>
public sealed record LoadMix(double PositionsPer1000, double ReportsPer1000)
{
    /// <summary>Default vehicle positions per 1,000 readings.</summary>
    public const double DefaultPositionsPer1000 = 20;

    /// <summary>Default citizen reports per 1,000 readings.</summary>
    public const double DefaultReportsPer1000 = 0.1;

    /// <summary>The default ratios.</summary>
    public static LoadMix Default { get; } = new(DefaultPositionsPer1000, DefaultReportsPer1000);

    /// <summary>One line for the report, e.g. "per 1,000 sensor readings: 20 vehicle positions, 0.1 citizen reports".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"per 1,000 sensor readings: {PositionsPer1000:0.###} vehicle positions, {ReportsPer1000:0.###} citizen reports (12345 hotline and app)");
}
