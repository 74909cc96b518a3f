using System.Collections.Frozen;
using System.Reflection;

namespace CityTwin.Silo.Runtime;

/// <summary>A grain interface, the class that implements it, and its methods.</summary>
internal sealed class GrainInterfaceInfo
{
    private readonly FrozenDictionary<MethodInfo, GrainMethod> _methods;
    private readonly Func<object> _createProxy;

    public GrainInterfaceInfo(Type interfaceType, GrainClassInfo grainClass)
    {
        InterfaceType = interfaceType;
        GrainClass = grainClass;
        var methods = new Dictionary<MethodInfo, GrainMethod>();
        foreach (Type t in interfaceType.GetInterfaces().Append(interfaceType))
        {
            foreach (MethodInfo m in t.GetMethods())
            {
                methods[m] = GrainMethod.Create(m);
            }
        }

        _methods = methods.ToFrozenDictionary();
        MethodInfo create = typeof(DispatchProxy).GetMethod(nameof(DispatchProxy.Create), 2, Type.EmptyTypes)!
            .MakeGenericMethod(interfaceType, typeof(GrainReference));
        _createProxy = create.CreateDelegate<Func<object>>();
    }

    public Type InterfaceType { get; }

    public GrainClassInfo GrainClass { get; }

    public GrainMethod GetMethod(MethodInfo method) => _methods.TryGetValue(method, out GrainMethod? m)
        ? m
        : throw new InvalidOperationException($"{method.DeclaringType?.Name}.{method.Name} is not a method of grain interface {InterfaceType.Name}.");

    public GrainReference CreateReference(Silo silo, GrainId id)
    {
        var reference = (GrainReference)_createProxy();
        reference.Bind(silo, id, this);
        return reference;
    }
}
