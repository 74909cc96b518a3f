namespace CityTwin.Grains.Cases;

/// <summary>The open case of one building and category, and when its last alert came.</summary>
public sealed class CaseIntakeState
{
    /// <summary>The case alerts join, or null.</summary>
    public string? OpenCaseId { get; set; }

    /// <summary>Time of the last alert that opened or joined it.</summary>
    public DateTimeOffset? LastAlertAt { get; set; }
}
