using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Runs;

/// <summary>The storm of a rainfall scenario, uniform over the district.</summary>
public sealed record RainfallSpec(double TotalMm, TimeSpan Duration, RainfallPattern Pattern, TimeSpan Interval, double PeakRatio, IReadOnlyList<RainfallBlock> Blocks)
{
    /// <summary>The storm as a hyetograph starting at the scenario's start.</summary>
    public Hyetograph ToHyetograph() => Pattern switch
    {
        RainfallPattern.Blocks => Hyetograph.FromIncrements(Blocks.Select(b => (b.Minutes, b.Mm))),
        RainfallPattern.Uniform => Hyetograph.Uniform(TotalMm, Duration, Interval),
        _ => Hyetograph.Chicago(TotalMm, Duration, Interval, PeakRatio),
    };
}
