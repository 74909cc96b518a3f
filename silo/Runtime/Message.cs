namespace CityTwin.Silo.Runtime;

/// <summary>
/// A unit of work for one activation: a grain call, a timer tick, a reminder tick or a stream delivery.
/// Messages of one activation run one at a time unless reentrancy rules allow interleaving.
/// </summary>
internal abstract class Message
{
    /// <summary>The chain of the caller; the target appends itself when it runs the message.</summary>
    public CallChain? Chain;

    /// <summary>The activation running the message, set when it starts.</summary>
    public ActivationData? Activation;

    /// <summary>Environment.TickCount64 when the message was sent, for response timeouts.</summary>
    public long SentAt;

    /// <summary>Links in the activation's list of running messages (intrusive, so tracking allocates nothing).</summary>
    public Message? PrevRunning;

    /// <summary>See <see cref="PrevRunning"/>.</summary>
    public Message? NextRunning;

    /// <summary>True when the message may interleave with any running request.</summary>
    public virtual bool AlwaysInterleave => false;

    /// <summary>True when processing it counts as activity for idle collection.</summary>
    public virtual bool KeepAlive => true;

    /// <summary>True for timer ticks and stream deliveries that belong to one activation and are dropped with it.</summary>
    public virtual bool BoundToActivation => false;

    /// <summary>True once the caller has its answer (completed, failed or timed out); such a waiting message is skipped.</summary>
    public abstract bool IsAnswered { get; }

    /// <summary>True when the caller waits for an answer and a response timeout applies.</summary>
    public virtual bool HasCaller => true;

    /// <summary>A short description for errors: "IBuildingGrain.GetStateAsync on building/b-1".</summary>
    public abstract string Describe();

    /// <summary>Runs the work on the activation; the returned task completes when the work is done.</summary>
    public abstract Task Invoke(Grain grain);

    /// <summary>Hands the outcome of <see cref="Invoke"/> to the caller.</summary>
    public abstract void Complete(Task invoked);

    /// <summary>Fails the message without running it (overload, timeout, activation failure, shutdown).</summary>
    public abstract void Fail(Exception error);
}
