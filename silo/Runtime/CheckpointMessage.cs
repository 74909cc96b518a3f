namespace CityTwin.Silo.Runtime;

/// <summary>Writes an activation's changed persistent states as one of its turns (so it sees a consistent state).</summary>
internal sealed class CheckpointMessage(ActivationData activation) : Message
{
    private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<int> Completion => _done.Task;

    public override bool BoundToActivation => true;

    public override bool KeepAlive => false;

    public override bool HasCaller => false;

    public override bool IsAnswered => _done.Task.IsCompleted;

    public override string Describe() => $"checkpoint of {activation.GrainId}";

    public override Task Invoke(Grain grain) => activation.WriteChangedStatesAsync();

    public override void Complete(Task invoked)
    {
        if (invoked is Task<int> { IsCompletedSuccessfully: true } written)
        {
            _done.TrySetResult(written.Result);
        }
        else
        {
            _done.TrySetException(invoked.Exception?.InnerExceptions ?? [new OperationCanceledException()]);
        }
    }

    // The activation is gone: it wrote its changed state when it deactivated.
    public override void Fail(Exception error) => _done.TrySetResult(0);
}
