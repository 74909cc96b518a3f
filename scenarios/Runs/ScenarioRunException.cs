namespace CityTwin.Scenarios.Runs;

/// <summary>A run cannot go on; the message says why in words meant for the user who started it (it becomes the run's error).</summary>
public sealed class ScenarioRunException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public ScenarioRunException()
        : this("The run failed.")
    {
    }

    /// <summary>Creates an exception with a message for the user.</summary>
    public ScenarioRunException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message for the user and its cause.</summary>
    public ScenarioRunException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
