using System.Globalization;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// The fork's raster as flat arrays for the physics: each cell grain's details are read once at the start of a run
/// (elevation, curve number, drainage, river flag), laid out on a <see cref="FloodGrid"/> by column and row. Physics
/// then runs on the arrays; grains only hear the results at the reporting cadence.
/// </summary>
internal sealed class ForkCells
{
    private ForkCells(FloodGrid grid, string[] ids, bool[] isRiver, GeoPoint[] centres, double[] gasPpm, Dictionary<string, int> indexById)
    {
        GasPpm = gasPpm;
        Grid = grid;
        Ids = ids;
        IsRiver = isRiver;
        Centres = centres;
        _indexById = indexById;
    }

    private readonly Dictionary<string, int> _indexById;

    /// <summary>The grid (elevation, curve number, drainage).</summary>
    public FloodGrid Grid { get; }

    /// <summary>Cell id per grid index (null where the twin has no cell).</summary>
    public string[] Ids { get; }

    /// <summary>River channel flag per grid index.</summary>
    public bool[] IsRiver { get; }

    /// <summary>Gas concentration (ppm) per grid index as the fork had it.</summary>
    public double[] GasPpm { get; }

    /// <summary>Centre (lon/lat) per grid index; projected only for the cells a report draws.</summary>
    public GeoPoint[] Centres { get; }

    /// <summary>Grid index of a cell id, or -1.</summary>
    public int IndexOf(string? cellId) => cellId is not null && _indexById.TryGetValue(cellId, out int i) ? i : -1;

    /// <summary>Reads every cell of the fork.</summary>
    public static async Task<ForkCells> ReadAsync(IGrainFactory grains, TwinDirectory directory, CancellationToken cancellationToken)
    {
        // In id order: the read model lists entities in no fixed order (it follows the order storage returned the states
        // and the process's string hashes), and nothing a run computes may depend on that order.
        EntitySummary[] summaries = [.. directory.OfType(EntityType.Cell).InIdOrder()];
        if (summaries.Length == 0)
        {
            throw new ScenarioRunException("The twin has no raster cells; a flood scenario needs them.");
        }

        var cells = new CellFacts[summaries.Length];
        const int batch = 2_000;
        for (int start = 0; start < summaries.Length; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int end = Math.Min(summaries.Length, start + batch);
            var tasks = new Task<EntityDetails?>[end - start];
            for (int i = start; i < end; i++)
            {
                // Cell summaries usually carry the terrain; the grain is asked only when they do not.
                tasks[i - start] = SummaryFields.Number(summaries[i], "elevationM") is not null && SummaryFields.Number(summaries[i], "curveNumber") is not null
                    ? Task.FromResult<EntityDetails?>(null)
                    : grains.GetGrain<ICellGrain>(summaries[i].Id).GetDetailsAsync();
            }

            EntityDetails?[] details = await Task.WhenAll(tasks);
            for (int i = start; i < end; i++)
            {
                cells[i] = CellFacts.From(summaries[i], details[i - start]);
            }
        }

        UtmProjection projection = directory.Projection;
        int columns = cells.Max(c => c.Column) + 1;
        int rows = cells.Max(c => c.Row) + 1;
        double size = cells.Select(c => c.SizeM).FirstOrDefault(s => s > 0);
        if (size <= 0)
        {
            // Summaries carry no cell size: the first cell's definition states it. A size inferred from two centres is off
            // in the ninth digit, which the routing's thresholds turn into different depths.
            size = CellFacts.From(summaries[0], await grains.GetGrain<ICellGrain>(summaries[0].Id).GetDetailsAsync()).SizeM;
        }

        if (size <= 0)
        {
            size = InferSize(cells, projection);
        }

        var grid = new FloodGrid(columns, rows, size);
        var ids = new string[columns * rows];
        var isRiver = new bool[columns * rows];
        var centres = new GeoPoint[columns * rows];
        var gasPpm = new double[columns * rows];
        var indexById = new Dictionary<string, int>(cells.Length, StringComparer.Ordinal);

        // Cells the twin lacks (none in a generated district) are walls: high ground that takes no water.
        double wall = cells.Max(c => c.ElevationM) + 1_000;
        Array.Fill(grid.ElevationM, wall);
        foreach (CellFacts c in cells)
        {
            // The twin's rows count from the south; the model's from the north. Routing is symmetric, so only the
            // index mapping has to be consistent.
            int index = grid.IndexOf(c.Column, rows - 1 - c.Row);
            grid.ElevationM[index] = c.ElevationM;
            grid.CurveNumber[index] = ScsCurveNumber.IsValidCurveNumber(c.CurveNumber) ? c.CurveNumber : 98;
            grid.DrainageCapacityMmPerHour[index] = Math.Max(0, c.DrainageMmPerHour);
            grid.InitialDepthM[index] = Math.Max(0, c.WaterDepthM);
            ids[index] = c.Id;
            isRiver[index] = c.IsRiver;
            centres[index] = c.Centre;
            gasPpm[index] = c.GasPpm;
            indexById[c.Id] = index;
        }

        return new ForkCells(grid, ids, isRiver, centres, gasPpm, indexById);
    }

    private static double InferSize(CellFacts[] cells, UtmProjection projection)
    {
        CellFacts a = cells[0];
        CellFacts? b = cells.FirstOrDefault(c => c.Row == a.Row && c.Column != a.Column);
        if (b is null)
        {
            return 100;
        }

        return projection.Forward(a.Centre).DistanceTo(projection.Forward(b.Centre)) / Math.Abs(b.Column - a.Column);
    }

    private sealed record CellFacts(string Id, int Column, int Row, GeoPoint Centre, double SizeM, double ElevationM, double CurveNumber, double DrainageMmPerHour, bool IsRiver, double WaterDepthM, double GasPpm)
    {
        public static CellFacts From(EntitySummary summary, EntityDetails? details)
        {
            // The cell grain's state carries its CellDefinition; it is read by field name so the state's shape (flat or
            // nested) does not matter. Summary properties are the fallback.
            Dictionary<string, JsonElement>? fields = null;
            if (details is not null)
            {
                fields = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
                Collect(details.ReadState(), fields, 0);
            }

            (int column, int row) = ParseId(summary.Id);
            return new CellFacts(
                summary.Id,
                (int)(Number(fields, summary, "column") ?? column),
                (int)(Number(fields, summary, "row") ?? row),
                summary.Position,
                Number(fields, summary, "sizeM") ?? 0,
                Number(fields, summary, "elevationM") ?? 0,
                Number(fields, summary, "curveNumber") ?? 98,
                Number(fields, summary, "drainageMmPerHour") ?? 0,
                (fields?.TryGetValue("isRiver", out JsonElement r) == true && r.ValueKind == JsonValueKind.True) || summary.Kind == "river",
                Number(fields, summary, "waterDepthM") ?? 0,
                Number(fields, summary, "gasPpm") ?? 0);
        }

        private static void Collect(JsonElement e, Dictionary<string, JsonElement> fields, int depth)
        {
            if (e.ValueKind != JsonValueKind.Object || depth > 4)
            {
                return;
            }

            foreach (JsonProperty p in e.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Object)
                {
                    Collect(p.Value, fields, depth + 1);
                }
                else
                {
                    fields.TryAdd(p.Name, p.Value);
                }
            }
        }

        private static double? Number(Dictionary<string, JsonElement>? fields, EntitySummary summary, string name) =>
            fields is not null && fields.TryGetValue(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : SummaryFields.Number(summary, name);

        private static (int Column, int Row) ParseId(string id)
        {
            string[] parts = id.Split('-');
            return parts.Length >= 3
                && int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out int c)
                && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int r)
                ? (c, r)
                : throw new InvalidOperationException($"Cell '{id}' states no column and row.");
        }
    }
}
