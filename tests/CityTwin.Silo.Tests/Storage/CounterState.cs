namespace CityTwin.Silo.Tests.Storage;

/// <summary>The persistent state of the test grains (stored as state JSON; Orleans' codec only carries it in calls).</summary>
[GenerateSerializer]
public sealed class CounterState
{
    /// <summary>The running total.</summary>
    [Id(0)]
    public int Count { get; set; }

    /// <summary>Free text, to give payloads some size and shape.</summary>
    [Id(1)]
    public List<string> Notes { get; set; } = [];
}
