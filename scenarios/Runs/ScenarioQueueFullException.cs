namespace CityTwin.Scenarios.Runs;

/// <summary>A run was refused because as many runs as allowed already wait for a slot; the caller should retry later.</summary>
public sealed class ScenarioQueueFullException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public ScenarioQueueFullException()
        : this("The scenario run queue is full.")
    {
    }

    /// <summary>Creates an exception naming the queue's size.</summary>
    public ScenarioQueueFullException(int maxQueued)
        : this($"{maxQueued} runs already wait for a free slot, as many as allowed (Scenarios:MaxQueuedRuns); retry when one has started.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public ScenarioQueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public ScenarioQueueFullException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
