using CityTwin.Grains.Cluster;
using CityTwin.Silo;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.WriteBehind;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>
/// Every <see cref="SiloOptions.CheckpointInterval"/> of real time, and once more when the silo stops, writes the changed
/// state of every active write-behind grain, then moves the replay mark up to the delivery watermark taken before the
/// writes: the stored twin then reflects every reading up to the mark, and a restart after a crash replays only those
/// logged after it (<c>TwinRecovery</c>). Only silos on system time run it: a fork or drill is not recovered.
/// </summary>
/// <remarks>
/// In a cluster one silo keeps the mark (the active silo with the lowest address; the next one takes over when it
/// goes): the mark moves to the least of every active silo's low (<see cref="DeliveryWatermark.ClusterLow"/>), taken
/// before the writes, and only when no silo left the cluster meanwhile, since a silo that died took the states of its
/// grains with it. When a silo dies, that silo first replays the event log after the mark (<see cref="IInputReplay"/>):
/// the grains that lived there come back from their stored states and get again what they had applied since, and the
/// inputs the dead silo had logged but not yet delivered are delivered. Until then the mark stays where it is.
/// </remarks>
internal sealed partial class LiveCheckpoint(
    IServiceProvider services, SiloOptions options, SiloClusterOptions cluster, DeliveryWatermark watermark, ILogger<LiveCheckpoint> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly HashSet<SiloAddress> _recovered = [];
    private Task? _loop;
    private Task? _watch;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LiveCheckpoint), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private bool OnSystemTime => services.GetService<VirtualTimeProvider>() is null;

    private bool Checkpoints => options.CheckpointInterval > TimeSpan.Zero;

    private Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OnSystemTime || (!Checkpoints && !cluster.IsClustered))
        {
            return Task.CompletedTask;
        }

        if (cluster.IsClustered)
        {
            // Silos that died before this one started are covered by the replay of its own start.
            IClusterMembershipService membership = services.GetRequiredService<IClusterMembershipService>();
            _recovered.UnionWith(Dead(membership.CurrentSnapshot));
            _watch = Task.Run(() => WatchAsync(membership), CancellationToken.None);
        }

        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop;
        if (_watch is not null)
        {
            await _watch;
        }

        try
        {
            // Grains are still active here; what this writes their deactivation need not.
            await RunOnceAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFailed(logger, e);
        }
    }

    private async Task LoopAsync()
    {
        TimeSpan interval = Checkpoints ? options.CheckpointInterval : Timeout.InfiniteTimeSpan;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                // A silo's death wakes the loop at once, so that the replay after it does not wait for the next checkpoint.
                await _wake.WaitAsync(interval, _stopping.Token);
                while (_wake.CurrentCount > 0)
                {
                    await _wake.WaitAsync(0);
                }

                try
                {
                    await RunOnceAsync(_stopping.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    // The mark stays where it was: a restart replays from there.
                    LogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task WatchAsync(IClusterMembershipService membership)
    {
        var seen = new HashSet<SiloAddress>(Dead(membership.CurrentSnapshot));
        try
        {
            await foreach (ClusterMembershipSnapshot snapshot in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                bool died = false;
                foreach (SiloAddress dead in Dead(snapshot))
                {
                    died |= seen.Add(dead);
                }

                if (died)
                {
                    _wake.Release();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private Task RunOnceAsync(CancellationToken cancellationToken) =>
        cluster.IsClustered ? RunClusterRoundAsync(cancellationToken) : RunSiloRoundAsync(cancellationToken);

    private async Task RunSiloRoundAsync(CancellationToken cancellationToken)
    {
        long low = watermark.Low;
        int written = await SiloCheckpoint.RunAsync(services, SiloCheckpoint.LiveInFlight, cancellationToken);
        await services.GetRequiredService<IGrainFactory>().GetGrain<IReplayMarkGrain>(IReplayMarkGrain.Live).AdvanceAsync(low);
        if (written > 0)
        {
            LogCheckpoint(logger, written, low);
        }
    }

    private async Task RunClusterRoundAsync(CancellationToken cancellationToken)
    {
        IClusterMembershipService membership = services.GetRequiredService<IClusterMembershipService>();
        SiloAddress self = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        ClusterMembershipSnapshot before = membership.CurrentSnapshot;
        SiloAddress[] active = Active(before);
        if (active.Length == 0 || !active[0].Equals(self))
        {
            return;
        }

        SiloAddress[] died = Dead(before).Where(d => !_recovered.Contains(d)).ToArray();
        if (died.Length > 0)
        {
            long replayed = services.GetService<IInputReplay>() is { } replay ? await replay.ReplayAsync(cancellationToken) : 0;
            _recovered.UnionWith(died);
            LogRecovered(logger, string.Join(", ", died.Select(d => d.ToString())), replayed);
        }

        if (!Checkpoints)
        {
            return;
        }

        // Taken before the silos are asked: a silo that has logged nothing yet will number what it logs from a lease taken
        // later, above this, so this is its low.
        long untaken = services.GetRequiredService<IEventLog>() is PostgresEventLog log ? await log.BelowUntakenLeasesAsync(cancellationToken) : 0;
        ITwinReplicaClient replicas = services.GetRequiredService<ITwinReplicaClient>();
        long low = long.MaxValue;
        foreach (SiloAddress silo in active)
        {
            low = Math.Min(low, await replicas.On(silo).GetClusterLowAsync() ?? untaken);
        }

        int written = await SiloCheckpoint.RunAsync(services, SiloCheckpoint.LiveInFlight, cancellationToken);
        ClusterMembershipSnapshot after = membership.CurrentSnapshot;
        if (active.Any(s => after.GetSiloStatus(s) != SiloStatus.Active))
        {
            LogHeld(logger);
            return;
        }

        long mark = low;
        IReplayMarkGrain markGrain = services.GetRequiredService<IGrainFactory>().GetGrain<IReplayMarkGrain>(IReplayMarkGrain.Live);
        await markGrain.AdvanceAsync(mark);
        long now = await markGrain.GetAsync();
        await Task.WhenAll(active.Select(async silo =>
        {
            try
            {
                await replicas.On(silo).RaiseMarkAsync(now);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // That silo learns the mark next time; until then its deliveries carry the older one, which still holds.
                LogMarkNotTold(logger, silo, e.Message);
            }
        }));
        if (written > 0)
        {
            LogCheckpoint(logger, written, now);
        }
    }

    private static SiloAddress[] Active(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)
            .OrderBy(a => a.ToParsableString(), StringComparer.Ordinal).ToArray();

    private static IEnumerable<SiloAddress> Dead(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint: {Written} changed states written; replay mark at seq {Mark}")]
    private static partial void LogCheckpoint(ILogger logger, int written, long mark);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint failed; a restart after a crash replays the event log from the previous mark")]
    private static partial void LogFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery after silo {Silos} died: {Replayed} inputs replayed from the event log")]
    private static partial void LogRecovered(ILogger logger, string silos, long replayed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checkpoint: a silo left the cluster meanwhile; the replay mark stays until the log is replayed")]
    private static partial void LogHeld(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Silo {Silo} was not told the replay mark: {Reason}")]
    private static partial void LogMarkNotTold(ILogger logger, SiloAddress silo, string reason);
}
