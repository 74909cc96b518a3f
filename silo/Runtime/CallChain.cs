namespace CityTwin.Silo.Runtime;

/// <summary>
/// The activations a request passed through, innermost first. A request whose chain already contains the target is
/// part of a call cycle (A -> B -> A) and may interleave there; that is how call-chain reentrancy avoids deadlock.
/// </summary>
internal sealed class CallChain(GrainId grain, CallChain? caller)
{
    public GrainId Grain { get; } = grain;

    public CallChain? Caller { get; } = caller;

    public bool Contains(GrainId id)
    {
        for (CallChain? c = this; c is not null; c = c.Caller)
        {
            if (c.Grain == id)
            {
                return true;
            }
        }

        return false;
    }
}
