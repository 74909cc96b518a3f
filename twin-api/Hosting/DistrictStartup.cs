using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Loading;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.Options;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// On the first start, generates the demo district (or reads District:File) and loads it into the live silo; on later
/// starts, rebuilds the read model from storage. Settings: District:Seed (7), District:Buildings (2,000), District:File.
/// </summary>
public sealed class DistrictStartup(IOptions<DistrictSourceOptions> options, ILogger<DistrictStartup> logger) : ISiloStartupTask
{
    /// <inheritdoc />
    public async Task RunAsync(IServiceProvider services, SiloStore store, CancellationToken cancellationToken)
    {
        var stages = new Progress<LoadProgress>(p =>
        {
            if (p.Done == p.Total)
            {
                logger.LogInformation("  {Stage}: {Total}", p.Stage, p.Total);
            }
        });
        TwinStartupResult result = await TwinStartup.RunAsync(services, store.States, ReadOrGenerateAsync, stages, cancellationToken);
        if (result.Loaded)
        {
            logger.LogInformation("Loaded district '{Name}': {Total} entities in {Elapsed:0.0} s", result.District, result.Entities, result.Elapsed.TotalSeconds);
        }
        else
        {
            logger.LogInformation("Restored district '{Name}': {Count} entities and {Cases} cases from {Store}, {Replayed} inputs replayed from the event log, in {Elapsed:0.0} s",
                result.District, result.Entities, result.Cases, store.Kind, result.Replayed, result.Elapsed.TotalSeconds);
        }
    }

    private async Task<District> ReadOrGenerateAsync(CancellationToken cancellationToken)
    {
        string? file = options.Value.File;
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file))
            {
                throw new CommandLineException($"District file '{file}' does not exist (District:File / --district).");
            }

            return await DistrictFile.ReadAsync(file, cancellationToken);
        }

        var generate = new DistrictOptions { Seed = options.Value.Seed, Buildings = options.Value.Buildings };
        logger.LogInformation("Generating district: {Buildings} buildings, seed {Seed}", generate.Buildings, generate.Seed);
        return DistrictGenerator.Generate(generate);
    }
}
