using CityTwin.Grains.Model;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>
/// A raster cell: terrain and drainage from its definition, water depth and gas concentration from the scenario models.
/// The live fields are written on deactivation, not per update: models recompute them and scenarios run in forks.
/// </summary>
[GrainType("cell")]
public sealed class CellGrain([PersistentState("entity", SiloStore.StorageName)] IPersistentState<CellState> entity, TwinDirectory directory)
    : WriteBehindGrain<CellState>(entity), ICellGrain
{
    /// <inheritdoc />
    public Task InitializeAsync(CellDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return TwinEntityStates.InitializeOnceAsync(State, directory,
            s => s.Initialize(definition, this.GetPrimaryKeyString(), directory, TimeProvider.GetUtcNow()), WriteStateAsync);
    }

    /// <inheritdoc />
    public Task<EntityDetails?> GetDetailsAsync() => TwinEntityStates.DetailsAsync(State);

    /// <inheritdoc />
    public Task SetConditionsAsync(double waterDepthM, double gasPpm, DateTimeOffset at)
    {
        if (!double.IsFinite(waterDepthM) || waterDepthM < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(waterDepthM), waterDepthM, "Water depth must be a finite number of at least 0 m.");
        }

        if (!double.IsFinite(gasPpm) || gasPpm < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gasPpm), gasPpm, "Gas concentration must be a finite number of at least 0 ppm.");
        }

        CellState s = State;
        if (!s.IsInitialized || (s.WaterDepthM == waterDepthM && s.GasPpm == gasPpm))
        {
            return Task.CompletedTask;
        }

        s.WaterDepthM = waterDepthM;
        s.GasPpm = gasPpm;
        s.UpdatedAt = at;
        directory.Upsert(s.ToSummary());
        return Task.CompletedTask;
    }
}
