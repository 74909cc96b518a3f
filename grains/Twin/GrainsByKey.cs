using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>
/// References to the grains of one interface by string key, made without Orleans' per-call type resolution:
/// <c>IGrainFactory.GetGrain&lt;T&gt;(string)</c> resolves <typeparamref name="TGrain"/>'s grain interface type from its
/// attributes on every call (Orleans 10.4.2 keeps no cache for it), which showed as about 6% of the server's CPU in a
/// dotnet-trace of durable ingest. This resolves the grain type and interface type once, on first use, and then builds
/// each reference from its <see cref="GrainId"/> (bench: <c>GrainReferenceBenchmarks</c>). Hot paths only (telemetry and
/// vehicle ingest); elsewhere <c>GetGrain</c> is simpler.
/// </summary>
/// <typeparam name="TGrain">The grain interface.</typeparam>
public sealed class GrainsByKey<TGrain>(IGrainFactory grains)
    where TGrain : IGrainWithStringKey
{
    // A reference, so a thread sees either nothing yet (and resolves it too, harmlessly) or both types whole.
    private Resolved? _resolved;

    /// <summary>The grain with key <paramref name="key"/>, as <c>GetGrain&lt;TGrain&gt;(key)</c> would give it.</summary>
    public TGrain Get(string key)
    {
        Resolved resolved = _resolved ??= Resolve();
        return (TGrain)grains.GetGrain(GrainId.Create(resolved.Type, key), resolved.Interface);
    }

    private Resolved Resolve()
    {
        var probe = (GrainReference)(object)grains.GetGrain<TGrain>("-");
        return new Resolved(probe.GrainId.Type, probe.InterfaceType);
    }

    private sealed record Resolved(GrainType Type, GrainInterfaceType Interface);
}
