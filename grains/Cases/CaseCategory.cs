namespace CityTwin.Grains.Cases;

/// <summary>One entry of the case category catalogue (data, not code: see catalogue.json).</summary>
public sealed record CaseCategory
{
    /// <summary>Category id, e.g. "gas-leak".</summary>
    public string Id { get; init; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The department that owns cases of this category by default.</summary>
    public string Department { get; init; } = "";

    /// <summary>"low", "medium", "high" or "critical".</summary>
    public string Severity { get; init; } = "medium";

    /// <summary>Alert kinds (from sensor rules) that open a case of this category.</summary>
    public string[] AlertKinds { get; init; } = [];

    /// <summary>Sources whose reports count as verified at once (a sensor alarm is its own evidence).</summary>
    public string[] AutoVerifySources { get; init; } = [];

    /// <summary>Whether the dispatch plan runs by itself as soon as the case is verified.</summary>
    public bool AutoDispatch { get; init; }

    /// <summary>Whether a grid worker may close it on the spot (small issues).</summary>
    public bool OnSpot { get; init; }

    /// <summary>The units to send, assignee first.</summary>
    public DispatchUnitSpec[] Dispatch { get; init; } = [];

    /// <summary>Time allowed per stage, by status name ("reported", "verified", "dispatched", …).</summary>
    public Dictionary<string, TimeSpan> Sla { get; init; } = [];

    /// <summary>The time allowed in <paramref name="status"/>, or null when the stage has no SLA.</summary>
    public TimeSpan? SlaFor(CaseStatus status) =>
        Sla.TryGetValue(CaseNames.Of(status), out TimeSpan t) && t > TimeSpan.Zero ? t : null;
}
