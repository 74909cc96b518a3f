using System.Diagnostics;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Loading;
using CityTwin.Silo.Storage;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// On the first start, generates the demo district (or reads District:File) and loads it into the live silo; on later
/// starts, rebuilds the read model from storage. Settings: District:Seed (7), District:Buildings (2,000), District:File.
/// </summary>
public sealed class DistrictStartup(IConfiguration configuration, ILogger<DistrictStartup> logger) : ISiloStartupTask
{
    /// <inheritdoc />
    public async Task RunAsync(CityTwin.Silo.Silo silo, SiloStore store, CancellationToken cancellationToken)
    {
        TwinDirectory directory = silo.Services.GetRequiredService<TwinDirectory>();
        var watch = Stopwatch.StartNew();
        DistrictMeta? meta = await silo.GrainFactory.GetGrain<ITwinMetaGrain>("current").GetAsync();
        if (meta is not null)
        {
            int restored = await TwinRestorer.RestoreAsync(silo, store.Storage, directory, meta, cancellationToken);
            logger.LogInformation("Restored district '{Name}': {Count} entities from {Store} in {Elapsed:0.0} s", meta.Name, restored, store.Kind, watch.Elapsed.TotalSeconds);
            await StartMonitorAsync(silo);
            return;
        }

        District district = await ReadOrGenerateAsync(cancellationToken);
        logger.LogInformation("Loading district '{Name}': {Buildings} buildings, {Sensors} sensors", district.Name, district.Buildings.Length, district.Sensors.Length);
        var stages = new Progress<LoadProgress>(p =>
        {
            if (p.Done == p.Total)
            {
                logger.LogInformation("  {Stage}: {Total} at {Elapsed:0.0} s", p.Stage, p.Total, watch.Elapsed.TotalSeconds);
            }
        });
        LoadReport report = await DistrictLoader.LoadAsync(silo, district, stages, cancellationToken);
        logger.LogInformation("Loaded {Total} entities in {Elapsed:0.0} s", report.Total, report.Elapsed.TotalSeconds);
        await StartMonitorAsync(silo);
    }

    // Restoring activates no grain, so the monitor that looks for silent sensors and idle water meters is started here.
    private static Task StartMonitorAsync(CityTwin.Silo.Silo silo) => silo.GrainFactory.GetGrain<ITwinMonitorGrain>(ITwinMonitorGrain.Key).StartAsync();

    private async Task<District> ReadOrGenerateAsync(CancellationToken cancellationToken)
    {
        string? file = configuration["District:File"];
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file))
            {
                throw new CommandLineException($"District file '{file}' does not exist (District:File / --district).");
            }

            return await DistrictFile.ReadAsync(file, cancellationToken);
        }

        var options = new DistrictOptions
        {
            Seed = configuration.GetValue("District:Seed", 7),
            Buildings = configuration.GetValue("District:Buildings", 2000),
        };
        return DistrictGenerator.Generate(options);
    }
}
