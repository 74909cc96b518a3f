using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.TwinApi.Api.Models;

namespace CityTwin.TwinApi.Api;

/// <summary>GET /api/alerts: the twin's recent alerts and warnings, newest first, filtered by kind, channel and area.</summary>
public static class AlertEndpoints
{
    /// <summary>The most alerts one request returns.</summary>
    public const int MaxLimit = 1_000;

    /// <summary>Maps the alerts endpoint.</summary>
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts", GetAlerts).WithName("GetAlerts").Produces<AlertPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Recent alerts, newest first: kind (gas, smoke, carbonMonoxide, sos, welfare, offline, lowBattery, riverTier, ...), channel (alert / warning), area (a grid, community or street id; the district means all), limit (1-1000, default 100).");
        return app;
    }

    private static IResult GetAlerts(HttpContext context, TwinDirectory directory, AlertBus alerts, string? kind, string? channel, string? area, int? limit)
    {
        int take = limit ?? 100;
        if (take is < 1 or > MaxLimit)
        {
            return ApiProblems.BadRequest($"limit must be between 1 and {MaxLimit}.", "limit");
        }

        bool allAreas = area is null;
        if (area is not null)
        {
            if (directory.Get(EntityType.Area, area) is not { } a)
            {
                return ApiProblems.NotFound($"No area '{area}'. GET /api/areas lists them.");
            }

            allAreas = a.Kind == nameof(AreaKind.District);
        }

        IReadOnlyList<Alert> items = alerts.Recent(a =>
            (kind is null || string.Equals(a.Kind, kind, StringComparison.OrdinalIgnoreCase))
            && (channel is null || string.Equals(a.Channel, channel, StringComparison.OrdinalIgnoreCase))
            && (allAreas || a.GridId == area || a.CommunityId == area || a.StreetId == area), take);
        return Results.Ok(new AlertPage(PersonalData.For(context, items), items.Count));
    }
}
