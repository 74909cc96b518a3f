using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>The persistent state of a <see cref="CellGrain"/>: its definition and the live water depth and gas concentration.</summary>
public sealed class CellState : ITwinEntityState
{
    /// <summary>Water this deep (metres) makes a cell "flooded": about where walking and driving through become unsafe.</summary>
    public const double FloodedDepthM = 0.15;

    /// <summary>The static description; null until initialised.</summary>
    public CellDefinition? Definition { get; set; }

    /// <summary>Makes this the first state of cell <paramref name="key"/>; ids the read model already holds are shared.</summary>
    public void Initialize(CellDefinition definition, string key, TwinDirectory directory, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition with
        {
            Id = TwinEntityStates.SharedId(definition.Id, key),
            GridId = TwinEntityStates.SharedId(directory, definition.GridId),
        };
        UpdatedAt = at;
    }

    /// <summary>When the live fields last changed (or the cell was initialised).</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Standing water, metres.</summary>
    public double WaterDepthM { get; set; }

    /// <summary>Gas concentration at ground level, ppm.</summary>
    public double GasPpm { get; set; }

    /// <inheritdoc />
    public bool IsInitialized => Definition is not null;

    /// <summary>"flooded" at or above <see cref="FloodedDepthM"/>, "wet" with any water, else "dry".</summary>
    public string Status => WaterDepthM >= FloodedDepthM ? "flooded" : WaterDepthM > 0 ? "wet" : "dry";

    /// <inheritdoc />
    public EntitySummary ToSummary()
    {
        CellDefinition d = Definition ?? throw new InvalidOperationException("The cell is not initialised.");
        return new EntitySummary(d.Id, EntityType.Cell, d.IsRiver ? "river" : "land", null, Status, d.Centre, UpdatedAt)
        {
            GridId = d.GridId,
            CellId = d.Id,
            Properties = Properties(d),
        };
    }

    private IReadOnlyDictionary<string, object> Properties(CellDefinition d)
    {
        var properties = new SummaryProperties.Builder(8);
        properties.Add("column", d.Column);
        properties.Add("row", d.Row);
        properties.Add("elevationM", d.ElevationM);
        properties.Add("imperviousness", d.Imperviousness);
        properties.Add("curveNumber", d.CurveNumber);
        properties.Add("drainageMmPerHour", d.DrainageMmPerHour);
        properties.Add("waterDepthM", WaterDepthM);
        properties.Add("gasPpm", GasPpm);
        return properties.Build();
    }
}
