using System.Reflection;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Grains.Twin;

/// <summary>
/// Rebuilds a silo's read model from stored grain states without activating the grains: each twin grain's "entity"
/// state is read in bulk per grain type and summarised. Used when a server restarts and when a fork is created.
/// </summary>
public static class TwinRestorer
{
    /// <summary>Restores every twin entity stored in <paramref name="storage"/>; returns how many were restored.</summary>
    public static async Task<int> RestoreAsync(CityTwin.Silo.Silo silo, IGrainStorage storage, TwinDirectory directory, DistrictMeta meta, CancellationToken cancellationToken = default)
    {
        var projection = new UtmProjection(meta.UtmZone, meta.UtmNorth);
        directory.Initialize(projection);
        silo.Services.GetRequiredService<GeofenceRegistry>().Load(meta.Geofences, projection);
        foreach (StationDefinition s in meta.Stations)
        {
            directory.Upsert(new EntitySummary(s.Id, EntityType.Station, s.Kind.ToString(), s.Name, "active", s.Position, meta.LoadedAt), publish: false);
        }

        int restored = 0;
        foreach ((string typeName, Type stateType) in EntityStateTypes(silo))
        {
            await foreach (KeyValuePair<GrainStateKey, StoredGrainState> stored in storage.ReadAllAsync(typeName, cancellationToken))
            {
                if (stored.Key.StateName != "entity")
                {
                    continue;
                }

                if (JsonSerializer.Deserialize(stored.Value.Payload, stateType, JsonSerializerOptions.Web) is ITwinEntityState { IsInitialized: true } state)
                {
                    directory.Upsert(state.ToSummary(), publish: false);
                    restored++;
                }
            }
        }

        return restored;
    }

    /// <summary>Grain type names of twin entity grains and the type of their "entity" state.</summary>
    public static IEnumerable<(string TypeName, Type StateType)> EntityStateTypes(CityTwin.Silo.Silo silo)
    {
        foreach ((string typeName, Type grainClass) in silo.GrainClasses)
        {
            if (!typeof(ITwinEntityGrain).IsAssignableFrom(grainClass))
            {
                continue;
            }

            foreach (ParameterInfo p in grainClass.GetConstructors()[0].GetParameters())
            {
                if (p.GetCustomAttribute<PersistentStateAttribute>() is { StateName: "entity" } && p.ParameterType.IsGenericType)
                {
                    yield return (typeName, p.ParameterType.GetGenericArguments()[0]);
                }
            }
        }
    }
}
