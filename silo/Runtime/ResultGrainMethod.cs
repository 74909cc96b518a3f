using System.Reflection;

namespace CityTwin.Silo.Runtime;

/// <summary>A grain method returning Task&lt;T&gt; or ValueTask&lt;T&gt;.</summary>
internal sealed class ResultGrainMethod<T>(MethodInfo method, bool returnsValueTask) : GrainMethod(method)
{
    public override object Send(GrainReference reference, object?[]? args)
    {
        var request = new Request<T>(this, reference.GrainId, args);
        reference.Runtime.Send(reference, request);
        return returnsValueTask ? new ValueTask<T>(request.Task) : request.Task;
    }
}
