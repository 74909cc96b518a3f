using System.Reflection;

namespace CityTwin.Silo.Runtime;

/// <summary>A grain method returning Task or ValueTask (possibly one-way).</summary>
internal sealed class VoidGrainMethod(MethodInfo method, bool returnsValueTask) : GrainMethod(method)
{
    public override object Send(GrainReference reference, object?[]? args)
    {
        Task task;
        if (IsOneWay)
        {
            var message = new OneWayRequest(this, reference.GrainId, args);
            task = reference.Runtime.Send(reference, message) ?? Task.CompletedTask;
        }
        else
        {
            var request = new Request<object?>(this, reference.GrainId, args);
            reference.Runtime.Send(reference, request);
            task = request.Task;
        }

        return returnsValueTask ? new ValueTask(task) : task;
    }
}
