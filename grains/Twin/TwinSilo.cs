using CityTwin.Grains.Cases;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;

namespace CityTwin.Grains.Twin;

/// <summary>
/// An <see cref="EmbeddedSilo"/> with the twin's grains and services (<see cref="TwinSiloBuilderExtensions.AddTwin"/>): what
/// forks, sandboxes, the headless drill, tests and benchmarks run on. The twin's per-silo services are typed members, so
/// callers need not look them up in the silo's service provider.
/// </summary>
public sealed class TwinSilo : IAsyncDisposable
{
    private readonly EmbeddedSilo _silo;

    private TwinSilo(EmbeddedSilo silo)
    {
        _silo = silo;
        IServiceProvider services = silo.Services;
        Directory = services.GetRequiredService<TwinDirectory>();
        Alerts = services.GetRequiredService<AlertBus>();
        Feeds = services.GetRequiredService<TwinFeeds>();
        Cases = services.GetRequiredService<CaseIndex>();
        Intake = services.GetRequiredService<CaseIntake>();
        Catalogue = services.GetRequiredService<CaseCatalogue>();
        Geofences = services.GetRequiredService<GeofenceRegistry>();
    }

    /// <summary>The silo's services, for code that runs over a whole silo (loading, restoring, forking).</summary>
    public IServiceProvider Services => _silo.Services;

    /// <summary>References to the silo's grains.</summary>
    public IGrainFactory GrainFactory => _silo.GrainFactory;

    /// <summary>The store the silo's grain state, reminders and event log live in.</summary>
    public SiloStore Store => _silo.Store;

    /// <summary>The silo's virtual clock, or null when its grains run on system time.</summary>
    public VirtualTimeProvider? Clock => _silo.Clock;

    /// <summary>The silo's read model.</summary>
    public TwinDirectory Directory { get; }

    /// <summary>The silo's alerts and warnings.</summary>
    public AlertBus Alerts { get; }

    /// <summary>The silo's change feeds.</summary>
    public TwinFeeds Feeds { get; }

    /// <summary>The silo's case list.</summary>
    public CaseIndex Cases { get; }

    /// <summary>The silo's case intake (alerts to cases).</summary>
    public CaseIntake Intake { get; }

    /// <summary>The case categories the silo's cases use.</summary>
    public CaseCatalogue Catalogue { get; }

    /// <summary>The silo's geofences.</summary>
    public GeofenceRegistry Geofences { get; }

    /// <summary>
    /// Starts a twin silo over <paramref name="store"/> (owned by the silo when <paramref name="ownsStore"/>), on
    /// <paramref name="clock"/> when given; <paramref name="configure"/> adds services (e.g. rule options).
    /// </summary>
    public static async Task<TwinSilo> StartAsync(
        SiloStore store, SiloOptions options, VirtualTimeProvider? clock = null, Action<ISiloBuilder>? configure = null,
        ILoggerFactory? loggerFactory = null, bool ownsStore = true, CancellationToken cancellationToken = default)
    {
        EmbeddedSilo silo = await EmbeddedSilo.StartAsync(store, options, builder =>
        {
            builder.AddTwin();
            configure?.Invoke(builder);
        }, clock, loggerFactory, ownsStore, cancellationToken);
        return new TwinSilo(silo);
    }

    /// <summary>Completes when nothing is in flight in the silo (only for a silo on a virtual clock with work tracking).</summary>
    public Task WaitForQuiescenceAsync(CancellationToken cancellationToken = default) => _silo.WaitForQuiescenceAsync(cancellationToken);

    /// <summary>Advances the virtual clock by <paramref name="by"/>, settling after each timer that fires.</summary>
    public Task AdvanceTimeAsync(TimeSpan by, CancellationToken cancellationToken = default) => _silo.AdvanceTimeAsync(by, cancellationToken);

    /// <summary>Writes the changed state of every active write-behind grain; returns how many were written.</summary>
    public Task<int> CheckpointAsync(CancellationToken cancellationToken = default) => _silo.CheckpointAsync(cancellationToken);

    /// <summary>Stops the silo gracefully: every grain deactivates and writes its changed state.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _silo.StopAsync(cancellationToken);

    /// <summary>Stops the silo if needed and releases it (and the store, if owned).</summary>
    public ValueTask DisposeAsync() => _silo.DisposeAsync();
}
