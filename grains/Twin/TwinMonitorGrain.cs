using System.Globalization;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Silo;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>
/// Runs the twin's periodic checks on the silo's clock (so they run in simulated time in forks and drills): every
/// <see cref="TelemetryRuleOptions.MonitorPeriod"/> it scans the read model's sensor summaries for sensors silent too
/// long and water meters due a welfare check, and calls only those grains, which re-check their own state before acting.
/// One timer for the twin rather than one per sensor: 300,000 timers would cost more than a scan of the read model.
/// In a fork (<see cref="ForkMode"/>) it checks nothing: the fork's sensors are simulated.
/// </summary>
[GrainType("twinmonitor")]
public sealed class TwinMonitorGrain(TwinDirectory directory, TelemetryRuleOptions? options = null, ForkMode? fork = null) : Grain, ITwinMonitorGrain
{
    // Calls in flight at once during a scan: enough to keep the silo busy, few enough not to crowd out telemetry.
    private const int CallsPerWave = 2_000;

    private readonly TelemetryRuleOptions _options = options ?? TelemetryRuleOptions.Default;
    private IGrainTimer? _timer;
    private MonitorScanResult? _last;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _options.Validate();

        // KeepAlive: the ticks are the monitor's only activity, and idle collection must not stop it.
        _timer = this.RegisterGrainTimer(static (self, _) => self.RunScanAsync(), this,
            new GrainTimerCreationOptions(_options.MonitorPeriod, _options.MonitorPeriod) { KeepAlive = true });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task<MonitorScanResult> ScanAsync() => RunScanAsync();

    /// <inheritdoc />
    public Task<MonitorScanResult?> GetLastScanAsync() => Task.FromResult(_last);

    private async Task<MonitorScanResult> RunScanAsync()
    {
        DateTimeOffset now = this.GetGrainTimeProvider().GetUtcNow();
        if (fork is not null)
        {
            // A fork's sensors are simulated: what it does not inject it does not know, so silence is not a fault there.
            _last = new MonitorScanResult(now, 0, 0, 0);
            return _last;
        }

        var silent = new List<string>();
        var welfare = new List<string>();
        int scanned = 0;
        foreach (EntitySummary s in directory.OfType(EntityType.Sensor))
        {
            scanned++;

            // A sensor that never reported a measurement is not judged: a freshly loaded twin must not flood alerts.
            if (s.Status != SensorState.Offline && s.Value is not null
                && SensorHealthRule.IsSilent(s.UpdatedAt, now, SensorHealthRule.OfflineLimit(s.BuildingId is not null, _options)))
            {
                silent.Add(s.Id);
            }

            if (IsWelfareDue(s, now))
            {
                welfare.Add(s.Id);
            }
        }

        int offline = await CallAsync(silent, id => GrainFactory.GetGrain<ISensorGrain>(id).CheckSilenceAsync());
        int checks = await CallAsync(welfare, id => GrainFactory.GetGrain<ISensorGrain>(id).CheckWelfareAsync());
        _last = new MonitorScanResult(now, scanned, offline, checks);
        return _last;
    }

    private bool IsWelfareDue(EntitySummary s, DateTimeOffset now)
    {
        if (s.Kind != nameof(SensorKind.WaterMeter) || s.BuildingId is null || s.Properties is not { } p
            || p.ContainsKey("welfare") || p.GetValueOrDefault("lastUseAt") is not string text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset lastUse))
        {
            return false;
        }

        int elderly = directory.Get(EntityType.Building, s.BuildingId)?.Properties?.GetValueOrDefault("elderly") is int e ? e : 0;
        return WelfareRule.IsDue(lastUse, now, _options.WelfareInactivity, elderly);
    }

    private static async Task<int> CallAsync(List<string> ids, Func<string, Task<bool>> call)
    {
        int done = 0;
        for (int start = 0; start < ids.Count; start += CallsPerWave)
        {
            int n = Math.Min(CallsPerWave, ids.Count - start);
            var wave = new Task<bool>[n];
            for (int i = 0; i < n; i++)
            {
                wave[i] = call(ids[start + i]);
            }

            foreach (bool acted in await Task.WhenAll(wave))
            {
                done += acted ? 1 : 0;
            }
        }

        return done;
    }
}
