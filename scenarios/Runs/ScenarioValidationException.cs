namespace CityTwin.Scenarios.Runs;

/// <summary>A scenario file is invalid: <see cref="Path"/> is the JSON path of the bad field (e.g. <c>$.timeline[2].at</c>).</summary>
public sealed class ScenarioValidationException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public ScenarioValidationException()
        : this("$", "is invalid")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public ScenarioValidationException(string message)
        : this("$", message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public ScenarioValidationException(string message, Exception? innerException)
        : base($"$: {message}", innerException)
    {
        Path = "$";
        Reason = message;
    }

    /// <summary>Creates an exception naming the bad field and why it is bad.</summary>
    public ScenarioValidationException(string path, string reason)
        : base($"{path}: {reason}")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>JSON path of the bad field.</summary>
    public string Path { get; }

    /// <summary>Why the field is bad ("must be an ISO 8601 duration or time").</summary>
    public string Reason { get; }
}
