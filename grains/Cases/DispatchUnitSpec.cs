namespace CityTwin.Grains.Cases;

/// <summary>
/// One unit a category's dispatch plan asks for: a responder with a skill, or a vehicle of one of some kinds
/// (<see cref="Model.VehicleKind"/> names). The first unit of a plan is the case's assignee; the rest support it.
/// </summary>
public sealed record DispatchUnitSpec
{
    /// <summary>"responder" or "vehicle".</summary>
    public string Type { get; init; } = "responder";

    /// <summary>The skill a responder needs (null: any responder).</summary>
    public string? Skill { get; init; }

    /// <summary>Vehicle kinds that qualify (vehicles only).</summary>
    public string[] Kinds { get; init; } = [];

    /// <summary>The department the unit acts for (muck-truck violations go to enforcement and to construction).</summary>
    public string? Department { get; init; }
}
