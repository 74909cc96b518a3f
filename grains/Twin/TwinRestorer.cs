using System.Reflection;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>
/// Rebuilds a silo's read model from stored grain states without activating the grains: each twin grain's "entity"
/// state is read in bulk per grain type and summarised. Used when a server restarts and when a fork is created.
/// </summary>
public static class TwinRestorer
{
    /// <summary>The state name every twin entity grain keeps its <see cref="ITwinEntityState"/> under.</summary>
    public const string EntityStateName = "entity";

    /// <summary>
    /// Restores into the read model of the silo whose services are <paramref name="services"/> every twin entity stored in
    /// <paramref name="states"/>, plus the district's projection, geofences and stations from <paramref name="meta"/>;
    /// returns how many entities were restored.
    /// </summary>
    public static async Task<int> RestoreAsync(IServiceProvider services, IStoredStateReader states, DistrictMeta meta, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(meta);
        TwinDirectory directory = services.GetRequiredService<TwinDirectory>();
        var projection = new UtmProjection(meta.UtmZone, meta.UtmNorth);
        directory.Initialize(projection);
        services.GetRequiredService<GeofenceRegistry>().Load(meta.Geofences, projection);
        foreach (StationDefinition s in meta.Stations)
        {
            directory.Upsert(new EntitySummary(s.Id, EntityType.Station, s.Kind.ToString(), s.Name, "active", s.Position, meta.LoadedAt), publish: false);
        }

        int restored = 0;
        foreach ((string grainType, Type stateType) in EntityStateTypes(services))
        {
            await foreach (StoredState stored in states.ReadAllAsync(grainType, cancellationToken).WithCancellation(cancellationToken))
            {
                if (stored.StateName != EntityStateName)
                {
                    continue;
                }

                if (JsonSerializer.Deserialize(stored.Payload.Span, stateType, JsonSerializerOptions.Web) is ITwinEntityState { IsInitialized: true } state)
                {
                    directory.Upsert(state.ToSummary(), publish: false);
                    restored++;
                }
            }
        }

        return restored;
    }

    /// <summary>
    /// Orleans grain types of the twin entity grains and the type of their "entity" state: the classes of the grains
    /// assembly that implement <see cref="ITwinEntityGrain"/>, carry a [GrainType] and take an
    /// <c>[PersistentState("entity", ...)] IPersistentState&lt;T&gt;</c>.
    /// </summary>
    public static IEnumerable<(string GrainType, Type StateType)> EntityStateTypes(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (Type grainClass in typeof(GrainsAssembly).Assembly.GetTypes())
        {
            if (!grainClass.IsClass || grainClass.IsAbstract || !typeof(ITwinEntityGrain).IsAssignableFrom(grainClass)
                || grainClass.GetCustomAttribute<GrainTypeAttribute>() is not { } grainType)
            {
                continue;
            }

            foreach (ConstructorInfo constructor in grainClass.GetConstructors())
            {
                foreach (ParameterInfo p in constructor.GetParameters())
                {
                    if (p.GetCustomAttribute<PersistentStateAttribute>() is { StateName: EntityStateName }
                        && p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(IPersistentState<>))
                    {
                        yield return (grainType.GetGrainType(services, grainClass).ToString(), p.ParameterType.GetGenericArguments()[0]);
                    }
                }
            }
        }
    }
}
