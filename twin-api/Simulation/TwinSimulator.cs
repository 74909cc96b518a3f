using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.District;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Hosting;
using CityTwin.TwinApi.Ingest;
using CityTwin.TwinApi.Load;
using Microsoft.Extensions.Options;

namespace CityTwin.TwinApi.Simulation;

/// <summary>
/// <c>citytwin serve --simulate</c>: once the twin is ready, feeds its sensors and vehicles seeded, plausible traffic
/// (<see cref="CityRhythm"/> values through the load harness's generators) through the same ingest paths as real
/// telemetry (<see cref="InProcessTelemetryTarget"/>: event log first, then the grains), at the configured rates. Off
/// unless <see cref="SimulationOptions.Enabled"/>.
/// </summary>
public sealed class TwinSimulator(
    IOptions<SimulationOptions> options, SiloHost host, IServiceProvider services, TimeProvider time, ILogger<TwinSimulator> logger) : BackgroundService
{
    private readonly SimulationOptions _options = options.Value;
    private CityRhythm? _rhythm;
    private long _readings;
    private long _positions;
    private long _rejected;

    /// <summary>The settings and what was sent so far.</summary>
    public SimulationStatus Status() => new(
        _options.Enabled, _options.ReadingsPerSecond, _options.PositionsPerSecond, _options.AlarmsPerHour, _options.FaultsPerHour,
        Interlocked.Read(ref _readings), Interlocked.Read(ref _positions), Interlocked.Read(ref _rejected), _rhythm?.Alarms ?? 0, _rhythm?.Faults ?? 0);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        await host.Ready.WaitAsync(stoppingToken);
        TwinDirectory directory = services.GetRequiredService<TwinDirectory>();
        IGrainFactory grains = services.GetRequiredService<IGrainFactory>();
        var target = new InProcessTelemetryTarget(services.GetRequiredService<TelemetryIngest>(), directory, grains,
            services.GetRequiredService<IEventLog>(), services.GetRequiredService<DeliveryWatermark>(), time);
        (TelemetryGenerator? readings, VehiclePositionGenerator? positions) = await GeneratorsAsync(directory, grains);
        if (readings is null)
        {
            logger.LogWarning("Simulation: the twin has no sensors; nothing to simulate");
            return;
        }

        logger.LogInformation("Simulation: {Readings} readings/s over {Sensors} sensors, {Positions} positions/s over {Vehicles} vehicles (seed {Seed})",
            _options.ReadingsPerSecond, readings.SensorCount, _options.PositionsPerSecond, positions?.VehicleCount ?? 0, _options.Seed);
        double readingsDue = 0, positionsDue = 0;
        using var timer = new PeriodicTimer(_options.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // Rates below one per interval accumulate until a whole input is due.
            readingsDue += _options.ReadingsPerSecond * _options.Interval.TotalSeconds;
            positionsDue += _options.PositionsPerSecond * _options.Interval.TotalSeconds;
            int r = (int)readingsDue, p = (int)positionsDue;
            readingsDue -= r;
            positionsDue -= p;
            try
            {
                if (r > 0)
                {
                    BatchOutcome sent = await target.SendAsync(readings.NextBatch(r), stoppingToken);
                    Count(sent, ref _readings);
                }

                if (p > 0 && positions is { VehicleCount: > 0 })
                {
                    BatchOutcome sent = await target.SendPositionsAsync(positions.NextBatch(p), stoppingToken);
                    Count(sent, ref _positions);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The traffic is a demo's: a failed batch is logged and the next one goes out as usual.
                logger.LogWarning(e, "Simulation: a batch failed");
            }
        }
    }

    private void Count(BatchOutcome outcome, ref long accepted)
    {
        Interlocked.Add(ref accepted, outcome.Accepted);
        Interlocked.Add(ref _rejected, outcome.Rejected);
        if (outcome.Error is { } error)
        {
            logger.LogDebug("Simulation: {Error}", error);
        }
    }

    /// <summary>Generators over the live twin's sensors and vehicles, read from its read model and district description.</summary>
    private async Task<(TelemetryGenerator?, VehiclePositionGenerator?)> GeneratorsAsync(TwinDirectory directory, IGrainFactory grains)
    {
        EntitySummary[] sensors = [.. directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal)];
        if (sensors.Length == 0)
        {
            return (null, null);
        }

        GeoPoint[] places = [.. sensors.Select(s => s.Position)];
        GeoBox box = GeoBox.Enclosing(places);
        double utcOffset = Math.Round((box.MinLon + box.MaxLon) / 2 / 15);
        double perHour = Math.Max(1, _options.ReadingsPerSecond * 3600);
        _rhythm = new CityRhythm(_options.AlarmsPerHour / perHour, _options.FaultsPerHour / perHour, utcOffset, TelemetryRuleOptions.Default.BatteryUnit);
        var readings = new TelemetryGenerator(
            [.. sensors.Select(s => s.Id)], [.. sensors.Select(s => Enum.Parse<SensorKind>(s.Kind!))], SensorProfiles.Defaults(), _options.Seed, time, _rhythm);

        // Muck trucks drive between their site and the nearest disposal point; patrol cars roam.
        DistrictMeta? meta = await grains.GetGrain<ITwinMetaGrain>("current").GetAsync();
        GeofenceDefinition[] fences = meta?.Geofences ?? [];
        var fleet = new List<(string, bool, GeoPoint, (GeoPoint, GeoPoint)?)>();
        foreach (EntitySummary v in directory.OfType(EntityType.Vehicle).OrderBy(v => v.Id, StringComparer.Ordinal))
        {
            bool muck = v.Kind == nameof(VehicleKind.MuckTruck);
            if (!muck && v.Kind != nameof(VehicleKind.PatrolCar))
            {
                continue;
            }

            (GeoPoint, GeoPoint)? route = null;
            if (muck && v.Properties?.GetValueOrDefault("assignedSiteId") is string siteId && fences.FirstOrDefault(f => f.Id == siteId) is { } site
                && fences.Where(f => f.Kind == GeofenceKind.DisposalPoint).MinBy(f => Distance(f.Centre, site.Centre)) is { } disposal)
            {
                route = (site.Centre, disposal.Centre);
            }

            fleet.Add((v.Id, muck, v.Position, route));
        }

        return (readings, new VehiclePositionGenerator(fleet, box, _options.Seed, time));
    }

    private static double Distance(GeoPoint a, GeoPoint b) => Math.Pow(a.Lon - b.Lon, 2) + Math.Pow(a.Lat - b.Lat, 2);
}
