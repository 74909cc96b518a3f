using System.Reflection;

namespace CityTwin.Silo;

/// <summary>
/// A reference to a grain, typed by its grain interface (Orleans: GrainReference). Instances are generated proxies;
/// every interface call becomes a message to the grain's single activation. Equal when they name the same grain.
/// </summary>
public class GrainReference : DispatchProxy
{
    private Runtime.GrainInterfaceInfo? _interface;

    /// <summary>The grain this reference names.</summary>
    public GrainId GrainId { get; private set; }

    internal Silo Runtime { get; private set; } = null!;

    /// <summary>The activation last used, so that a call skips the directory lookup; replaced when it deactivates.</summary>
    internal Runtime.ActivationData? CachedActivation;

    internal void Bind(Silo runtime, GrainId id, Runtime.GrainInterfaceInfo info)
    {
        Runtime = runtime;
        GrainId = id;
        _interface = info;
    }

    internal Runtime.GrainClassInfo GrainClass => _interface!.GrainClass;

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        Runtime.GrainMethod method = _interface!.GetMethod(targetMethod!);
        return method.Send(this, args);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GrainReference other && other.GrainId == GrainId && ReferenceEquals(other.Runtime, Runtime);

    /// <inheritdoc />
    public override int GetHashCode() => GrainId.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"GrainReference:{GrainId}";
}
