using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.Quiescence;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace CityTwin.Grains.Tests;

/// <summary>
/// The one way the grain tests start a silo: an Orleans silo of its own (unique cluster id, loopback ports) with the
/// twin's services, on a store the caller gives (so a test can restart on the same data) or a fresh memory store, and
/// on a virtual clock with work tracking, so a test advances time and settles instead of sleeping.
/// </summary>
internal static class TwinSilos
{
    /// <summary>A virtual clock reading <paramref name="start"/>, tracking the work of the silo it drives.</summary>
    public static VirtualTimeProvider Clock(DateTimeOffset start) => new(start, new WorkTracker());

    /// <summary>
    /// Starts a twin silo on <paramref name="clock"/>. Without a <paramref name="store"/> it gets a memory store of its own,
    /// disposed with it; <paramref name="services"/> adds or replaces services (rule options, a catalogue).
    /// </summary>
    public static Task<TwinSilo> StartAsync(VirtualTimeProvider clock, SiloStore? store = null, Action<IServiceCollection>? services = null) =>
        TwinSilo.StartAsync(
            store ?? SiloStore.CreateMemory(),
            new SiloOptions { Name = "grains-test", ClusterId = "grains-test-" + Guid.NewGuid().ToString("N"), ResponseTimeout = TimeSpan.FromSeconds(20) },
            clock,
            services is null ? null : silo => silo.ConfigureServices(services),
            ownsStore: store is null);
}
