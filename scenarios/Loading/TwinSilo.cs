using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

namespace CityTwin.Scenarios.Loading;

/// <summary>Starts an embedded silo with the twin's grains and services: what forks, sandboxes, the headless drill and tests run on.</summary>
public static class TwinSilo
{
    /// <summary>
    /// Starts a twin silo over <paramref name="store"/> (owned by the silo when <paramref name="ownsStore"/>), on
    /// <paramref name="clock"/> when given; <paramref name="configure"/> adds services (e.g. rule options).
    /// </summary>
    public static Task<EmbeddedSilo> StartAsync(
        SiloStore store, SiloOptions options, VirtualTimeProvider? clock = null, Action<ISiloBuilder>? configure = null,
        ILoggerFactory? loggerFactory = null, bool ownsStore = true, CancellationToken cancellationToken = default) =>
        EmbeddedSilo.StartAsync(store, options, silo =>
        {
            silo.AddTwin();
            configure?.Invoke(silo);
        }, clock, loggerFactory, ownsStore, cancellationToken);
}
