using System.Linq.Expressions;
using System.Reflection;

namespace CityTwin.Silo.Runtime;

/// <summary>
/// One method of a grain interface: how a reference sends it and how an activation invokes it. Invokers are compiled
/// once per method so that a call costs a delegate invocation, not reflection.
/// </summary>
internal abstract class GrainMethod
{
    protected GrainMethod(MethodInfo method)
    {
        Method = method;
        Name = $"{method.DeclaringType!.Name}.{method.Name}";
        IsOneWay = method.GetCustomAttribute<OneWayAttribute>() is not null;
        AlwaysInterleave = method.GetCustomAttribute<AlwaysInterleaveAttribute>() is not null;
        Invoker = CompileInvoker(method);
    }

    public MethodInfo Method { get; }

    public string Name { get; }

    public bool IsOneWay { get; }

    public bool AlwaysInterleave { get; }

    /// <summary>Calls the method on a grain instance; ValueTask results are converted to Task.</summary>
    public Func<object, object?[]?, Task> Invoker { get; }

    /// <summary>Sends a call through <paramref name="reference"/> and returns what the interface method returns.</summary>
    public abstract object Send(GrainReference reference, object?[]? args);

    public static GrainMethod Create(MethodInfo method)
    {
        if (method.IsGenericMethodDefinition)
        {
            throw new InvalidOperationException($"Grain interface method {method.DeclaringType!.Name}.{method.Name} is generic; grain methods cannot be generic.");
        }

        Type rt = method.ReturnType;
        bool oneWay = method.GetCustomAttribute<OneWayAttribute>() is not null;
        if (rt == typeof(Task) || rt == typeof(ValueTask))
        {
            return new VoidGrainMethod(method, rt == typeof(ValueTask));
        }

        if (rt.IsGenericType && (rt.GetGenericTypeDefinition() == typeof(Task<>) || rt.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            if (oneWay)
            {
                throw new InvalidOperationException($"One-way grain method {method.DeclaringType!.Name}.{method.Name} must return Task or ValueTask.");
            }

            Type t = rt.GetGenericArguments()[0];
            Type impl = typeof(ResultGrainMethod<>).MakeGenericType(t);
            return (GrainMethod)Activator.CreateInstance(impl, method, rt.GetGenericTypeDefinition() == typeof(ValueTask<>))!;
        }

        throw new InvalidOperationException($"Grain interface method {method.DeclaringType!.Name}.{method.Name} returns {rt.Name}; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>.");
    }

    private static Func<object, object?[]?, Task> CompileInvoker(MethodInfo method)
    {
        ParameterExpression grain = Expression.Parameter(typeof(object), "grain");
        ParameterExpression args = Expression.Parameter(typeof(object?[]), "args");
        ParameterInfo[] ps = method.GetParameters();
        var callArgs = new Expression[ps.Length];
        for (int i = 0; i < ps.Length; i++)
        {
            callArgs[i] = Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), ps[i].ParameterType);
        }

        Expression call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, callArgs);
        if (method.ReturnType == typeof(ValueTask) || (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            call = Expression.Call(call, method.ReturnType.GetMethod(nameof(ValueTask.AsTask))!);
        }

        return Expression.Lambda<Func<object, object?[]?, Task>>(Expression.Convert(call, typeof(Task)), grain, args).Compile();
    }
}
