namespace CityTwin.TwinApi.Auth;

/// <summary>API roles, each including the rights of those below it.</summary>
public enum Role
{
    /// <summary>Reads the twin.</summary>
    Viewer = 1,

    /// <summary>Sends telemetry, reports and case transitions.</summary>
    Operator = 2,

    /// <summary>Runs scenarios, forks and drills.</summary>
    Planner = 3,

    /// <summary>Everything.</summary>
    Admin = 4,
}
