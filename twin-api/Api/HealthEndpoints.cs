using System.Reflection;
using CityTwin.TwinApi.Auth;
using CityTwin.TwinApi.Hosting;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Api;

/// <summary>GET /health: status, store, silo statistics, the deferred telemetry backlog and version; GET /health/live: liveness.</summary>
public static class HealthEndpoints
{
    private static readonly string Version =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Maps the health endpoint.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (SiloHost host, TelemetryIngest telemetry) =>
        {
            if (!host.IsReady)
            {
                return Results.Json(new { status = "starting", version = Version }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return Results.Ok(new
            {
                status = "ok",
                version = Version,
                store = new { kind = host.Store.Kind.ToString().ToLowerInvariant(), description = host.Store.Description },
                silo = host.Silo.GetStatistics(),

                // Accepted (logged) readings still waiting for their grains; at the limit new batches get 503.
                telemetry = new { backlog = telemetry.Backlog, backlogLimit = telemetry.BacklogLimit, dropped = telemetry.Dropped },
            });
        }).WithName("Health").AllowAnonymousAccess();

        // Liveness for orchestrators and the load harness's latency floor: answers from the HTTP host alone, without
        // collecting silo statistics (which walks the activations) or touching a grain.
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).WithName("Liveness").AllowAnonymousAccess();
        return app;
    }
}
