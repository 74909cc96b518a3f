using System.Text.Json;
using CityTwin.Grains.Cluster;
using CityTwin.Scenarios.Runs;
using CityTwin.Silo;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// Scenario runs through any silo: a run lives on the silo it was started through (its fork runs there), and the others
/// answer for it by asking every active silo (their <see cref="ITwinReplicaService"/>) for the runs each holds, in the
/// JSON the API shows. Also what this silo answers when asked (<see cref="ILocalScenarioRuns"/>).
/// </summary>
public sealed class ClusterScenarioRuns(
    IServiceProvider services, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, SiloClusterOptions cluster, IClusterMembershipService membership,
    ILocalSiloDetails local, ITwinReplicaClient silos, ILogger<ClusterScenarioRuns> logger) : ILocalScenarioRuns
{
    // A silo that does not answer in this time (dying, overloaded) is left out of the answer rather than holding it.
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private JsonSerializerOptions Options => json.Value.SerializerOptions;

    // Resolved when first used, as the endpoints resolve it: it needs the running silo.
    private ScenarioRunRegistry Runs => services.GetRequiredService<ScenarioRunRegistry>();

    /// <inheritdoc />
    public byte[]? Get(string id) => Runs.Get(id) is { } run ? JsonSerializer.SerializeToUtf8Bytes(run.ToView(), Options) : null;

    /// <inheritdoc />
    public byte[] List() => JsonSerializer.SerializeToUtf8Bytes(Runs.List().Select(r => r.ToView(includeResult: false)), Options);

    /// <summary>The run <paramref name="id"/> as JSON, from this silo or whichever other active silo holds it; null when none does.</summary>
    public async Task<byte[]?> FindAsync(string id)
    {
        if (Get(id) is { } here)
        {
            return here;
        }

        foreach (byte[]? there in await AskOthersAsync(s => s.GetScenarioRunAsync(id)))
        {
            if (there is not null)
            {
                return there;
            }
        }

        return null;
    }

    /// <summary>The runs of every active silo (without results), newest first.</summary>
    public async Task<JsonElement[]> ListAsync()
    {
        var all = new List<JsonElement>();
        foreach (byte[]? list in (byte[]?[])[List(), .. await AskOthersAsync<byte[]>(async s => await s.ListScenarioRunsAsync())])
        {
            if (list is not null)
            {
                using JsonDocument doc = JsonDocument.Parse(list);
                all.AddRange(doc.RootElement.EnumerateArray().Select(e => e.Clone()));
            }
        }

        return [.. all.OrderByDescending(r => r.GetProperty("createdAt").GetDateTimeOffset())];
    }

    private async Task<T?[]> AskOthersAsync<T>(Func<ITwinReplicaService, Task<T?>> ask)
        where T : class
    {
        if (!cluster.IsClustered)
        {
            return [];
        }

        SiloAddress[] others = [.. membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(local.SiloAddress)).Select(m => m.SiloAddress)];
        return await Task.WhenAll(others.Select(async silo =>
        {
            try
            {
                return await ask(silos.On(silo)).WaitAsync(AskTimeout);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogWarning(e, "Silo {Silo} did not answer for its scenario runs", silo);
                return null;
            }
        }));
    }
}
