using System.Collections.Concurrent;
using System.Reflection;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace CityTwin.Silo.Quiescence;

/// <summary>
/// Grain call filters that feed a <see cref="WorkTracker"/>: an incoming call counts while it runs; an awaited outgoing
/// call counts until its answer; a one-way call counts from the send until its target starts it (a marker in the request
/// context tells the target); a grain timer tick fired by the virtual clock counts until it starts.
/// </summary>
internal sealed class WorkTrackingFilter(WorkTracker tracker) : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    private const string OneWayMarker = "citytwin.oneway";
    private const string TimerInterface = "IGrainTimerInvoker";
    private readonly ConcurrentDictionary<MethodInfo, bool> _oneWay = new();

    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        tracker.Begin();
        if (RequestContext.Get(OneWayMarker) is not null)
        {
            // The one-way call's transit ends here; its own run is counted by the Begin above.
            RequestContext.Remove(OneWayMarker);
            tracker.End();
        }
        else if (context.Request.GetInterfaceName() == TimerInterface)
        {
            // The tick the virtual clock counted when it fired has started.
            tracker.End();
        }

        try
        {
            await context.Invoke();
        }
        finally
        {
            tracker.End();
        }
    }

    /// <inheritdoc />
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        tracker.Begin();
        if (context.InterfaceMethod is { } method && _oneWay.GetOrAdd(method, static m => m.IsDefined(typeof(OneWayAttribute))))
        {
            RequestContext.Set(OneWayMarker, true);
            try
            {
                await context.Invoke();
            }
            catch
            {
                // Never sent, so its target will not end the transit.
                tracker.End();
                throw;
            }
            finally
            {
                RequestContext.Remove(OneWayMarker);
            }

            return;
        }

        try
        {
            await context.Invoke();
        }
        finally
        {
            tracker.End();
        }
    }
}
