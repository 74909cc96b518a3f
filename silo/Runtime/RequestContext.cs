namespace CityTwin.Silo.Runtime;

/// <summary>
/// The flowing context of the request being executed (Orleans keeps the equivalent in RequestContext/RuntimeContext).
/// An AsyncLocal is instance state of the ExecutionContext, so silos in one process do not share it.
/// </summary>
internal sealed class RequestContext
{
    private readonly AsyncLocal<CallChain?> _chain = new();

    /// <summary>The call chain of the request the current code runs for; null outside grains.</summary>
    public CallChain? Chain
    {
        get => _chain.Value;
        set => _chain.Value = value;
    }
}
