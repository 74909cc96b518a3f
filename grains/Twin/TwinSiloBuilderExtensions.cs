using CityTwin.Grains.Cases;
using CityTwin.Grains.Cluster;
using CityTwin.Grains.Rules;
using CityTwin.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;

namespace CityTwin.Grains.Twin;

/// <summary>
/// Adds the twin's per-silo services (read model, feeds, alert bus, case loop services, checkpoints and, in a cluster,
/// the replication of the read model between silos) to an Orleans silo.
/// </summary>
public static class TwinSiloBuilderExtensions
{
    /// <summary>
    /// Registers the twin's services; Orleans finds the grain classes itself (the grains assembly is referenced). Rule
    /// options (<see cref="TelemetryRuleOptions"/>, <see cref="MuckTruckOptions"/>) and the <see cref="CaseCatalogue"/>
    /// registered by the caller, before or after this call, take precedence over the defaults.
    /// </summary>
    public static ISiloBuilder AddTwin(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices(services =>
        {
            services.AddSingleton<TwinFeeds>();
            services.AddSingleton<TwinDirectory>();
            services.AddSingleton<AlertBus>();
            services.TryAddSingleton(_ => CaseCatalogue.LoadDefault());
            services.AddSingleton<CaseIndex>();
            services.AddSingleton<CasePlaceLocator>();
            services.AddSingleton<DispatchPlanner>();
            services.AddSingleton<CaseIntake>();

            // The registry stamps summaries with the grains' clock (virtual in forks and drills), not the silo's own.
            services.AddSingleton(sp => new GeofenceRegistry(sp.GetRequiredService<TwinDirectory>(), sp.GetGrainTimeProvider()));
            services.TryAddSingleton<MuckTruckOptions>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LiveCheckpoint>();

            // The cluster's read-model replication: idle (nothing subscribed, nothing sent) unless the silo is clustered.
            services.AddSingleton<TwinReplica>();
            services.AddSingleton<ITwinReplicaClient, TwinReplicaClient>();
            services.AddGrainService<TwinReplicaService>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, TwinReplicator>();
        });
    }
}
