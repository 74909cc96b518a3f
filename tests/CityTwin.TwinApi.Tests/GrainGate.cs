using System.Collections.Concurrent;
using CityTwin.Grains.Twin;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Grain call filters that let the overload tests make a grain busy on purpose, in a server with a small
/// Silo:MaxQueueLengthPerGrain. <see cref="HoldAsync"/> parks one call inside the grain's turn (the grain is not
/// reentrant, so every later call waits in its queue) and fills that queue to the limit: from then until the hold is
/// released, every further call to the grain is refused at the door with Orleans' LimitExceededException, however fast
/// or slow the machine is. The filters also record every call refused that way, by target and method, so a test can show
/// that overload really happened to the call it cares about: a call that failed with LimitExceededException and never
/// reached its target's incoming filter (an overload met further down a call chain has run, and does not count).
/// </summary>
public sealed class GrainGate : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    private const string CallKey = "citytwin-test-call";
    private readonly ConcurrentDictionary<GrainId, Hold> _holds = new();
    private readonly ConcurrentDictionary<long, byte> _started = new();
    private readonly ConcurrentQueue<(GrainId Target, string Method)> _refused = new();
    private long _lastCall;

    /// <summary>Calls to <paramref name="grain"/>'s <paramref name="method"/> refused at the door for overload so far.</summary>
    public int Refusals(IAddressable grain, string method)
    {
        GrainId id = grain.GetGrainId();
        return _refused.Count(r => r.Target == id && r.Method == method);
    }

    /// <summary>
    /// Makes <paramref name="grain"/> refuse every call until the returned hold is disposed: one call parked in its turn,
    /// and <paramref name="queueLimit"/> (the server's Silo:MaxQueueLengthPerGrain) calls queued behind it.
    /// </summary>
    public async Task<Hold> HoldAsync(ITwinEntityGrain grain, int queueLimit)
    {
        TimeSpan timeout = TimeSpan.FromSeconds(20);
        var hold = new Hold(this, grain.GetGrainId());
        if (!_holds.TryAdd(hold.Target, hold))
        {
            throw new InvalidOperationException($"{hold.Target} is already held.");
        }

        try
        {
            hold.Calls.Add(grain.GetDetailsAsync());
            await hold.Entered.Task.WaitAsync(timeout);

            // Orleans refuses a call when the requests the activation holds (running and queued) are over the limit when it
            // arrives: of limit + 1 calls behind the parked one, the first `limit` queue and the last is refused. Once any
            // has been refused the queue is full, and it stays full until the parked call is released.
            Task<EntityDetails?>[] fill = Enumerable.Range(0, queueLimit + 1).Select(_ => grain.GetDetailsAsync()).ToArray();
            hold.Calls.AddRange(fill);
            Task first = await Task.WhenAny(fill).WaitAsync(timeout);
            Exception? error = first.Exception?.InnerException;
            if (error is not LimitExceededException)
            {
                throw new InvalidOperationException($"Filling the queue of {hold.Target} was not refused for overload: {error?.ToString() ?? "the call ran"}.");
            }
        }
        catch
        {
            await hold.DisposeAsync();
            throw;
        }

        return hold;
    }

    /// <inheritdoc />
    async Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        if (RequestContext.Get(CallKey) is long call)
        {
            _started.TryAdd(call, 0);
        }

        if (_holds.TryGetValue(context.TargetId, out Hold? hold) && hold.TryPark())
        {
            hold.Entered.TrySetResult();
            await hold.Released.Task;
        }

        await context.Invoke();
    }

    /// <inheritdoc />
    async Task IOutgoingGrainCallFilter.Invoke(IOutgoingGrainCallContext context)
    {
        // Tags the call so that its target's incoming filter can tell it started (the change is local to this async flow).
        long call = Interlocked.Increment(ref _lastCall);
        RequestContext.Set(CallKey, call);
        try
        {
            await context.Invoke();
        }
        catch (LimitExceededException) when (!_started.ContainsKey(call))
        {
            _refused.Enqueue((context.TargetId, context.MethodName));
            throw;
        }
        finally
        {
            _started.TryRemove(call, out _);
        }
    }

    /// <summary>A grain made busy by <see cref="HoldAsync"/>; disposing releases it and waits for the calls the hold made.</summary>
    public sealed class Hold(GrainGate gate, GrainId target) : IAsyncDisposable
    {
        private int _parked;

        internal GrainId Target => target;

        internal List<Task> Calls { get; } = [];

        internal TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal bool TryPark() => Interlocked.Exchange(ref _parked, 1) == 0;

        /// <inheritdoc />
        public async ValueTask DisposeAsync()
        {
            if (!Released.TrySetResult())
            {
                return;
            }

            gate._holds.TryRemove(target, out _);
            try
            {
                await Task.WhenAll(Calls).WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (Exception) when (Calls.All(c => c.IsCompletedSuccessfully || c.Exception?.InnerException is LimitExceededException))
            {
                // The call that found the queue full, as intended.
            }
        }
    }
}
