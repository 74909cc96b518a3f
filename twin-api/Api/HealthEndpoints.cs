using System.Reflection;
using CityTwin.Silo;
using CityTwin.TwinApi.Auth;
using CityTwin.TwinApi.Hosting;
using CityTwin.TwinApi.Ingest;
using CityTwin.TwinApi.Load;
using CityTwin.TwinApi.Simulation;
using Microsoft.AspNetCore.Mvc;
using Orleans.Runtime;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// GET /health: the status for anyone; with a key of any role also the store, silo statistics, the cluster's silos, the
/// deferred telemetry backlog, the simulated traffic and the version. GET /health/live: liveness.
/// </summary>
public static class HealthEndpoints
{
    private static readonly string Version =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Maps the health endpoint.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async (
            HttpContext context, SiloHost host, SiloStatisticsReader statistics, TelemetryIngest telemetry, TwinSimulator simulation,
            SiloClusterOptions cluster, IClusterMembershipService membership, [FromServices] StateWriteCounter? stateWrites) =>
        {
            // Callers without a key learn whether the server is up, nothing about its store, paths or version.
            bool keyed = ApiCaller.Of(context) is not null;
            if (!host.IsReady)
            {
                return keyed
                    ? Results.Json(new { status = "starting", version = Version }, statusCode: StatusCodes.Status503ServiceUnavailable)
                    : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            if (!keyed)
            {
                return Results.Ok(new { status = "ok" });
            }

            return Results.Ok(new
            {
                status = "ok",
                version = Version,

                // Grain-state writes since the counter was made (null when the server counts none): read differences.
                store = new { kind = host.Store.Kind.ToString().ToLowerInvariant(), description = host.Store.Description, stateWrites = stateWrites?.Writes },
                silo = await statistics.ReadAsync(),

                // The silos this one sees active (null for one silo): every one of them answers every request alike.
                cluster = cluster.IsClustered
                    ? new
                    {
                        id = cluster.Id,
                        silos = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active)
                            .Select(m => new { name = m.Name, address = m.SiloAddress.ToString() }).OrderBy(m => m.address, StringComparer.Ordinal).ToArray(),
                    }
                    : null,

                // Accepted (logged) readings still waiting for their grains; at the limit new batches get 503.
                telemetry = new { backlog = telemetry.Backlog, backlogLimit = telemetry.BacklogLimit, dropped = telemetry.Dropped },

                // The demo's simulated traffic (--simulate): its rates and what it sent.
                simulation = simulation.Status(),
            });
        }).WithName("Health").AllowAnonymousAccess();

        // Liveness for orchestrators and the load harness's latency floor: answers from the HTTP host alone, without
        // collecting silo statistics (a call to Orleans' management grain) or touching a grain.
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).WithName("Liveness").AllowAnonymousAccess();
        return app;
    }
}
