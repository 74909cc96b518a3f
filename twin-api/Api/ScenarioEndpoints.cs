using System.Globalization;
using System.Text.Json;
using CityTwin.Grains.Cluster;
using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Replay;
using CityTwin.Scenarios.Runs;
using CityTwin.TwinApi.Api.Models;
using CityTwin.TwinApi.Auth;
using CityTwin.Silo;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Feed;
using CityTwin.TwinApi.Hosting;
using Microsoft.Extensions.Options;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// Scenario runs, replays and stock scenarios under /api/scenarios (planner role). A run forks the live twin (or a saved
/// snapshot: a district file in Scenarios:SnapshotDirectory) and runs in the background on the silo it was started
/// through; the fork never writes to the live twin and is released when the run ends. Runs are listed and read through
/// any silo of a cluster (<see cref="ClusterScenarioRuns"/>); a run is cancelled through the silo that runs it. Invalid files answer 400 naming the JSON path of the bad field.
/// </summary>
public static class ScenarioEndpoints
{
    /// <summary>How long a client refused for a full run queue is asked to wait before retrying.</summary>
    public const int QueueFullRetryAfterSeconds = 30;

    /// <summary>
    /// Registers the run registry with its slots, queue and budgets (the <c>Scenarios</c> section,
    /// <see cref="ScenarioRunOptions"/>; a value out of range stops the server at start), the scenario-progress feed it
    /// publishes on (the hub pushes it), and the stop that cancels every run when the server stops. Needs the silo's
    /// services (Orleans on the same host).
    /// </summary>
    public static IServiceCollection AddScenarioRuns(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => sp.GetRequiredService<ChangeFeeds>().Create<ScenarioProgress>("scenario-progress"));
        services.AddSingleton(sp =>
        {
            // Resolved on the first request, when the live silo is running: a fork copies the live twin's services and store.
            SiloHost host = sp.GetRequiredService<SiloHost>();
            return new ScenarioRunRegistry(
                (start, ct) => TwinFork.CreateAsync(sp, host.Store, start, null, ct),
                sp.GetRequiredService<ChangeFeed<ScenarioProgress>>(),
                sp.GetRequiredService<IEventLog>(),
                sp.GetRequiredService<IOptions<ScenarioRunOptions>>().Value,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("CityTwin.Scenarios"));
        });
        services.AddSingleton<ClusterScenarioRuns>();
        services.AddSingleton<ILocalScenarioRuns>(sp => sp.GetRequiredService<ClusterScenarioRuns>());
        services.AddHostedService<ScenarioRunsShutdown>();
        return services;
    }

    /// <summary>Maps the scenario endpoints.</summary>
    public static IEndpointRouteBuilder MapScenarioEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder group = app.MapGroup("/api/scenarios").WithTags("Scenarios").RequireRole(Role.Planner);
        // Listing the stock scenarios is a read (viewer, or anonymous where reading is open); running one needs a planner.
        group.MapGet("/stock", () => Results.Ok(new { stock = StockScenarios.Names() })).WithName("ListStockScenarios").RequireRole(Role.Viewer);
        group.MapPost("/runs", StartRunAsync).WithName("StartScenarioRun").Accepts<ScenarioRunBody>("application/json").Produces<RunAccepted>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        // Runs through any silo: a run lives on the silo it was started through, and the others ask it.
        group.MapGet("/runs", async (ClusterScenarioRuns runs) => Results.Ok(new { runs = await runs.ListAsync() })).WithName("ListScenarioRuns");
        group.MapGet("/runs/{id}", async (string id, ClusterScenarioRuns runs) =>
            await runs.FindAsync(id) is { } run ? Results.Bytes(run, "application/json") : ApiProblems.NotFound($"No scenario run '{id}'."))
            .WithName("GetScenarioRun").Produces<ScenarioRunView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/runs/{id}", (string id, ScenarioRunRegistry runs) =>
        {
            ScenarioRun? run = runs.Get(id);
            if (run is null)
            {
                return ApiProblems.NotFound($"No scenario run '{id}'.");
            }

            return runs.Cancel(id)
                ? Results.Accepted($"/api/scenarios/runs/{id}", new RunAccepted(id, "cancelling"))
                : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Run finished", detail: $"Run '{id}' has already {run.ToView(false).Status}.");
        }).WithName("CancelScenarioRun");
        group.MapPost("/replays", StartReplayAsync).WithName("StartReplay").Accepts<ReplayRunBody>("application/json").Produces<RunAccepted>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> StartRunAsync(HttpRequest request, ScenarioRunRegistry runs, IConfiguration config, CancellationToken cancellationToken)
    {
        (JsonDocument? read, IResult? unreadable) = await ApiProblems.ReadJsonAsync(request, cancellationToken);
        using JsonDocument? body = read;
        if (body is null)
        {
            return unreadable!;
        }

        JsonElement root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.BadRequest("must be an object with 'stock' or 'definition'", "$");
        }

        bool hasStock = root.TryGetProperty("stock", out JsonElement stock) && stock.ValueKind != JsonValueKind.Null;
        bool hasDefinition = root.TryGetProperty("definition", out JsonElement definitionJson) && definitionJson.ValueKind != JsonValueKind.Null;
        if (hasStock == hasDefinition)
        {
            return ApiProblems.BadRequest("give exactly one of 'stock' (a stock scenario name) or 'definition' (an inline scenario)", "$");
        }

        ScenarioDefinition definition;
        try
        {
            if (hasStock)
            {
                if (stock.ValueKind != JsonValueKind.String || !StockScenarios.Exists(stock.GetString()!))
                {
                    return ApiProblems.BadRequest($"must name a stock scenario: {string.Join(", ", StockScenarios.Names())}", "$.stock");
                }

                definition = StockScenarios.Load(stock.GetString()!, runs.Options);
            }
            else
            {
                definition = ScenarioParser.Parse(definitionJson, runs.Options);
            }
        }
        catch (ScenarioValidationException e)
        {
            // Paths inside an inline definition are reported from the request's root.
            string path = hasDefinition ? "$.definition" + e.Path[1..] : e.Path;
            return ApiProblems.BadRequest($"{path}: {e.Reason}", path);
        }

        if (root.TryGetProperty("snapshot", out JsonElement snapshot) && snapshot.ValueKind != JsonValueKind.Null)
        {
            string? file = snapshot.ValueKind == JsonValueKind.String ? SnapshotFile(config, snapshot.GetString()!) : null;
            if (file is null)
            {
                // The directory is named by its setting, not its path: answers carry no paths of the server's disk.
                return ApiProblems.BadRequest($"must name a saved snapshot (a district file in the server's Scenarios:SnapshotDirectory): {string.Join(", ", SnapshotNames(config))}", "$.snapshot");
            }

            return Accept(request.HttpContext.Response, () => runs.Start(definition, async (start, ct) =>
            {
                District district = await DistrictFile.ReadAsync(file, ct);
                await using TwinSandbox sandbox = await TwinSandbox.CreateAsync(district, null, ct);
                return await sandbox.ForkAsync(start, ct);
            }));
        }

        return Accept(request.HttpContext.Response, () => runs.Start(definition));
    }

    private static async Task<IResult> StartReplayAsync(HttpRequest request, ScenarioRunRegistry runs, CancellationToken cancellationToken)
    {
        (JsonDocument? read, IResult? unreadable) = await ApiProblems.ReadJsonAsync(request, cancellationToken);
        using JsonDocument? body = read;
        if (body is null)
        {
            return unreadable!;
        }

        JsonElement root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.BadRequest("must be an object {from, to, speed}", "$");
        }

        DateTimeOffset? from = Time(root, "from"), to = Time(root, "to");
        if (from is null)
        {
            return ApiProblems.BadRequest("must be an ISO 8601 date and time", "from");
        }

        if (to is null)
        {
            return ApiProblems.BadRequest("must be an ISO 8601 date and time", "to");
        }

        double speed = 0;
        if (root.TryGetProperty("speed", out JsonElement s) && s.ValueKind != JsonValueKind.Null && (s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out speed)))
        {
            return ApiProblems.BadRequest("must be a number >= 0 (0 = as fast as possible)", "speed");
        }

        var replay = new ReplayRequest(from.Value, to.Value, speed);
        if (replay.Validate(request.HttpContext.RequestServices.GetGrainTimeProvider().GetUtcNow(), runs.Options) is { } bad)
        {
            return ApiProblems.BadRequest($"{bad.Field}: {bad.Reason}", bad.Field);
        }

        return Accept(request.HttpContext.Response, () => runs.StartReplay(replay));
    }

    // 202 with the run's address, or 429 with Retry-After when as many runs as allowed already wait.
    private static IResult Accept(HttpResponse response, Func<ScenarioRun> start)
    {
        ScenarioRun run;
        try
        {
            run = start();
        }
        catch (ScenarioQueueFullException e)
        {
            response.Headers.RetryAfter = QueueFullRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many runs waiting", detail: e.Message);
        }

        return Results.Accepted($"/api/scenarios/runs/{run.Id}", new RunAccepted(run.Id, run.ToView(false).Status));
    }

    private static DateTimeOffset? Time(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && ScenarioParser.TryParseTime(v.GetString(), out DateTimeOffset t) ? t : null;

    private static string SnapshotDirectory(IConfiguration config) => Path.GetFullPath(config["Scenarios:SnapshotDirectory"] ?? "snapshots");

    private static IEnumerable<string> SnapshotNames(IConfiguration config) =>
        Directory.Exists(SnapshotDirectory(config)) ? Directory.EnumerateFiles(SnapshotDirectory(config), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal) : [];

    // Only names listed in the snapshot directory are opened, never a path built from the request.
    private static string? SnapshotFile(IConfiguration config, string name) =>
        SnapshotNames(config).Contains(name, StringComparer.Ordinal) ? Path.Combine(SnapshotDirectory(config), name + ".json") : null;

    /// <summary>The answer to an accepted run or replay.</summary>
    public sealed record RunAccepted(string RunId, string Status);
}
