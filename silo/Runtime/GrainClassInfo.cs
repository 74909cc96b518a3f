using System.Reflection;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Silo.Runtime;

/// <summary>
/// A grain class: its type name, reentrancy, and how to construct it. Constructor parameters marked
/// [PersistentState] get a state bound to the grain; the rest come from the silo's services.
/// </summary>
internal sealed class GrainClassInfo
{
    private readonly ConstructorInfo _constructor;
    private readonly ParameterInfo[] _parameters;
    private readonly PersistentStateAttribute?[] _stateAttributes;
    private readonly MethodInfo?[] _stateFactories;

    public GrainClassInfo(Type type, Silo silo)
    {
        Silo = silo;
        if (!typeof(Grain).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new ArgumentException($"{type.Name} is not a concrete class derived from Grain.", nameof(type));
        }

        Type = type;
        TypeName = type.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? DefaultTypeName(type);
        IsReentrant = type.GetCustomAttribute<ReentrantAttribute>() is not null;
        ConstructorInfo[] ctors = type.GetConstructors();
        if (ctors.Length != 1)
        {
            throw new ArgumentException($"Grain class {type.Name} must have exactly one public constructor; it has {ctors.Length}.", nameof(type));
        }

        _constructor = ctors[0];
        _parameters = _constructor.GetParameters();
        _stateAttributes = new PersistentStateAttribute?[_parameters.Length];
        _stateFactories = new MethodInfo?[_parameters.Length];
        MethodInfo factory = typeof(GrainClassInfo).GetMethod(nameof(CreateState), BindingFlags.NonPublic | BindingFlags.Static)!;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var attr = _parameters[i].GetCustomAttribute<PersistentStateAttribute>();
            if (attr is null)
            {
                continue;
            }

            Type pt = _parameters[i].ParameterType;
            if (!pt.IsGenericType || pt.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new ArgumentException($"Parameter '{_parameters[i].Name}' of {type.Name} has [PersistentState] but is not IPersistentState<T>.", nameof(type));
            }

            _stateAttributes[i] = attr;
            _stateFactories[i] = factory.MakeGenericMethod(pt.GetGenericArguments()[0]);
        }
    }

    /// <summary>The silo hosting the class; its activations reach the silo through here rather than a field of their own.</summary>
    public Silo Silo { get; }

    public Type Type { get; }

    public string TypeName { get; }

    public bool IsReentrant { get; }

    public Grain Create(ActivationData activation, IServiceProvider services)
    {
        var args = new object?[_parameters.Length];
        for (int i = 0; i < args.Length; i++)
        {
            if (_stateAttributes[i] is { } attr)
            {
                var state = (PersistentStateBase)_stateFactories[i]!.Invoke(null, [activation, attr.StateName])!;
                activation.AddState(state);
                args[i] = state;
            }
            else
            {
                Type pt = _parameters[i].ParameterType;
                args[i] = services.GetService(pt)
                    ?? (_parameters[i].HasDefaultValue ? _parameters[i].DefaultValue : throw new InvalidOperationException(
                        $"Cannot activate {Type.Name}: no service of type {pt.Name} for constructor parameter '{_parameters[i].Name}'. Register it with SiloBuilder.ConfigureServices."));
            }
        }

        var grain = (Grain)_constructor.Invoke(args);
        grain.Activation = activation;
        return grain;
    }

    private static PersistentStateBase CreateState<T>(ActivationData activation, string stateName) where T : new() => new PersistentState<T>(activation, stateName);

    private static string DefaultTypeName(Type type)
    {
        string name = type.Name;
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > 5)
        {
            name = name[..^5];
        }

        return name.ToLowerInvariant();
    }
}
