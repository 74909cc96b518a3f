using Microsoft.Extensions.Logging;

namespace CityTwin.Silo.Runtime;

/// <summary>
/// A timer on the silo's TimeProvider whose ticks are messages to its activation. The next tick is armed only after
/// the previous callback completes, so ticks never overlap, and under a virtual clock they fire in simulated time.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<object?, CancellationToken, Task> _callback;
    private readonly object? _state;
    private readonly GrainTimerCreationOptions _options;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _disposed = new();
    private TimeSpan _period;

    public GrainTimer(ActivationData activation, Func<object?, CancellationToken, Task> callback, object? state, GrainTimerCreationOptions options)
    {
        _activation = activation;
        _callback = callback;
        _state = state;
        _options = options;
        _period = options.Period;
        _timer = activation.Silo.TimeProvider.CreateTimer(static s => ((GrainTimer)s!).OnFired(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        activation.AddTimer(this);
        _timer.Change(options.DueTime, Timeout.InfiniteTimeSpan);
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        _period = period;
        if (!_disposed.IsCancellationRequested)
        {
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    private void OnFired()
    {
        if (!_disposed.IsCancellationRequested)
        {
            _activation.Silo.SendToActivation(_activation, new Tick(this));
        }
    }

    private void Rearm()
    {
        if (!_disposed.IsCancellationRequested && _period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
        {
            _timer.Change(_period, Timeout.InfiniteTimeSpan);
        }
    }

    private sealed class Tick(GrainTimer timer) : Message
    {
        private int _done;

        public override bool AlwaysInterleave => timer._options.Interleave;

        public override bool KeepAlive => timer._options.KeepAlive;

        public override bool BoundToActivation => true;

        public override bool HasCaller => false;

        public override bool IsAnswered => Volatile.Read(ref _done) != 0;

        public override string Describe() => $"timer tick on {timer._activation.GrainId}";

        public override Task Invoke(Grain grain) =>
            timer._disposed.IsCancellationRequested ? Task.CompletedTask : timer._callback(timer._state, timer._disposed.Token);

        public override void Complete(Task invoked)
        {
            Volatile.Write(ref _done, 1);
            if (invoked.IsFaulted)
            {
                timer._activation.Silo.Logger.LogWarning(invoked.Exception!.GetBaseException(), "Timer callback of {Grain} failed", timer._activation.GrainId);
            }

            // Re-armed here, before the tick counts as done, so a virtual clock sees the next due time.
            timer.Rearm();
        }

        public override void Fail(Exception error) => Volatile.Write(ref _done, 1);
    }
}
