namespace CityTwin.Silo.Runtime;

/// <summary>A fire-and-forget grain call: nobody awaits it, so failures are only counted and logged.</summary>
internal sealed class OneWayRequest(GrainMethod method, GrainId target, object?[]? args) : Message
{
    private int _done;

    public Exception? Error { get; private set; }

    public override bool AlwaysInterleave => method.AlwaysInterleave;

    public override bool IsAnswered => Volatile.Read(ref _done) != 0;

    public override bool HasCaller => false;

    public override string Describe() => $"{method.Name} (one-way) on {target}";

    public override Task Invoke(Grain grain) => method.Invoker(grain, args);

    public override void Complete(Task invoked)
    {
        Volatile.Write(ref _done, 1);
        Error = invoked.Exception?.GetBaseException();
    }

    public override void Fail(Exception error)
    {
        Volatile.Write(ref _done, 1);
        Error = error;
    }
}
