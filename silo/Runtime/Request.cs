namespace CityTwin.Silo.Runtime;

/// <summary>An awaited grain call. The caller's task completes asynchronously so that a caller never runs inside the callee's turn.</summary>
internal sealed class Request<T>(GrainMethod method, GrainId target, object?[]? args) : Message
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    public override bool AlwaysInterleave => method.AlwaysInterleave;

    public override bool IsAnswered => _completion.Task.IsCompleted;

    public override string Describe() => $"{method.Name} on {target}";

    public override Task Invoke(Grain grain) => method.Invoker(grain, args);

    public override void Complete(Task invoked)
    {
        if (invoked.IsCompletedSuccessfully)
        {
            _completion.TrySetResult(invoked is Task<T> typed ? typed.Result : default!);
        }
        else if (invoked.IsCanceled)
        {
            _completion.TrySetCanceled();
        }
        else
        {
            _completion.TrySetException(invoked.Exception!.InnerExceptions);
        }
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);
}
