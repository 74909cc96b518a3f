using System.Buffers;
using System.Text.Json;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// Case KPIs (GET /api/kpis) and heat maps (GET /api/heatmap), answered from the aggregates that area and cell grains
/// keep by report day, never by scanning cases. Both cover the cases reported in [from, to), in whole UTC days.
/// </summary>
public static class KpiEndpoints
{
    private static readonly string[] Weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>Maps the KPI and heat-map endpoints.</summary>
    public static IEndpointRouteBuilder MapKpiEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/kpis", Kpis).WithName("CaseKpis")
            .WithSummary("Case KPIs of an area (default: the district) over cases reported from..to (whole UTC days): counts by source, category and status, closure rate = closed/(reported-rejected), median and p90 seconds per stage and end to end (from daily histograms, within 1 %), overdue counts, citizen share (app and hotline).");
        app.MapGet("/api/heatmap", Heatmap).WithName("CaseHeatmap")
            .WithSummary("Per-cell case counts as a GeoJSON FeatureCollection for an area (default: the district), optionally of one category, plus an hour-of-day x weekday matrix in local time.");
        return app;
    }

    private static async Task<IResult> Kpis(IGrainFactory grains, TwinDirectory directory, CasePlaceLocator places, string? area, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (Check(directory, places, area, from, to, out string areaId) is { } problem)
        {
            return problem;
        }

        KpiReport report = await grains.GetGrain<ICaseAreaStatsGrain>(areaId).GetKpisAsync(from, to);
        return Results.Ok(report);
    }

    private static async Task<IResult> Heatmap(IGrainFactory grains, TwinDirectory directory, CasePlaceLocator places, CaseCatalogue catalogue, string? metric, string? category, string? area, DateTimeOffset? from, DateTimeOffset? to, int? utcOffset)
    {
        if (metric is not null && metric != "cases")
        {
            return ApiProblems.BadRequest($"Unknown metric '{metric}'; the heat map counts 'cases'.", "metric");
        }

        if (category is not null && catalogue.Find(category) is null)
        {
            return ApiProblems.BadRequest($"Unknown category '{category}'; GET /api/cases/categories lists them.", "category");
        }

        if (utcOffset is < -12 or > 14)
        {
            return ApiProblems.BadRequest("utcOffset is in hours, from -12 to 14.", "utcOffset");
        }

        if (Check(directory, places, area, from, to, out string areaId) is { } problem)
        {
            return problem;
        }

        ICaseAreaStatsGrain stats = grains.GetGrain<ICaseAreaStatsGrain>(areaId);
        string[] cells = await stats.GetCellsAsync();
        int[] counts = await Task.WhenAll(cells.Select(c => grains.GetGrain<ICaseCellStatsGrain>(c).CountAsync(from, to, category)));
        int offset = utcOffset ?? catalogue.UtcOffsetHours;
        int[][] matrix = await stats.GetHourWeekdayAsync(from, to, category, offset);

        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteString("metric", "cases");
            w.WriteString("area", areaId);
            if (category is not null)
            {
                w.WriteString("category", category);
            }

            w.WriteStartArray("features");
            for (int i = 0; i < cells.Length; i++)
            {
                if (counts[i] == 0 || directory.Get(EntityType.Cell, cells[i]) is not { } cell || !directory.IsInitialized)
                {
                    continue;
                }

                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteString("id", cells[i]);
                w.WritePropertyName("geometry");
                GeoJsonWriter.WritePolygon(w, CellSquare.Of(directory.Projection, cell));
                w.WriteStartObject("properties");
                w.WriteString("cellId", cells[i]);
                w.WriteNumber("count", counts[i]);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("hourOfDayByWeekday");
            w.WriteNumber("utcOffsetHours", offset);
            w.WriteStartArray("weekdays");
            foreach (string d in Weekdays)
            {
                w.WriteStringValue(d);
            }

            w.WriteEndArray();
            w.WriteStartArray("counts");
            foreach (int[] row in matrix)
            {
                w.WriteStartArray();
                foreach (int n in row)
                {
                    w.WriteNumberValue(n);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Results.Bytes(buffer.WrittenMemory, "application/geo+json");
    }

    private static IResult? Check(TwinDirectory directory, CasePlaceLocator places, string? area, DateTimeOffset? from, DateTimeOffset? to, out string areaId)
    {
        areaId = area ?? places.RootAreaId;
        if (area is not null && directory.Get(EntityType.Area, area) is null)
        {
            return ApiProblems.NotFound($"No area '{area}'. GET /api/areas lists them.");
        }

        if (from is not null && to is not null && to <= from)
        {
            return ApiProblems.BadRequest("to must be after from.", "to");
        }

        return null;
    }
}
