using System.Net;
using System.Net.Sockets;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Feed;
using CityTwin.Silo.Quiescence;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace CityTwin.Silo;

/// <summary>
/// The one place an Orleans silo is configured for CityTwin, used alike by the live server (UseOrleans on the web host),
/// forks, sandboxes and tests: clustering (one silo on loopback, or a cluster on the PostgreSQL store), grain storage and reminders from the opened
/// <see cref="SiloStore"/>, the durable event log, limits, idle collection and, for a silo on a virtual clock, the
/// keyed time providers of grains and reminders plus the work tracking that lets it settle.
/// </summary>
public static class SiloSetup
{
    /// <summary>
    /// How often a silo probes each other silo, and how many probes in a row must fail, before it suspects that silo
    /// (Orleans' ProbeTimeout and NumMissedProbesLimit; 5 s and 3 by default). With two votes to declare a silo dead, a
    /// killed silo is declared dead about 6-10 s after it stopped answering, and its grains activate on the other silos
    /// at their next call: well within 20 s. Shorter timeouts would risk declaring a silo that is only busy dead.
    /// </summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Failed probes in a row before a silo is suspected (see <see cref="ProbeTimeout"/>).</summary>
    public const int MissedProbesLimit = 3;

    /// <summary>
    /// Configures <paramref name="silo"/> over <paramref name="store"/>; with a <paramref name="clock"/> the grains run on it.
    /// With a <paramref name="cluster"/> id the silo forms or joins that cluster through Orleans' ADO.NET clustering on the
    /// store (PostgreSQL only); otherwise it is one silo with localhost clustering.
    /// </summary>
    public static ISiloBuilder UseCityTwin(this ISiloBuilder silo, SiloStore store, SiloOptions options, VirtualTimeProvider? clock = null, SiloClusterOptions? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        cluster ??= new SiloClusterOptions();
        if (cluster.IsClustered)
        {
            UseStoreClustering(silo, store, options, cluster);
        }
        else
        {
            int siloPort = options.SiloPort > 0 ? options.SiloPort : FreeLoopbackPort();
            int gatewayPort = options.GatewayPort switch { > 0 => options.GatewayPort, 0 => FreeLoopbackPort(), _ => 0 };
            silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, siloPort), SiloStore.ServiceId, options.ClusterId);
        }

        silo.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = options.Name);
        silo.Configure<SiloMessagingOptions>(o =>
        {
            o.ResponseTimeout = options.ResponseTimeout;
            o.MaxEnqueuedRequestsHardLimit = options.MaxQueueLengthPerGrain;
            o.MaxEnqueuedRequestsSoftLimit = 0;
        });
        silo.Configure<GrainCollectionOptions>(o =>
        {
            o.CollectionAge = options.CollectionAge;
            o.CollectionQuantum = options.CollectionQuantum;
            o.DeactivationTimeout = options.ShutdownTimeout;
        });
        if (clock is not null)
        {
            // Orleans runs the load publisher on the grains' clock; a lone silo has no peer to publish its load to, and on
            // a virtual clock it would tick (and be settled) every simulated second.
            silo.Configure<DeploymentLoadPublisherOptions>(o => o.DeploymentLoadPublisherRefreshTime = TimeSpan.Zero);

            // Orleans drops a reminder whose next tick is beyond its loading window (10 min by default) and a periodic read
            // of the reminder table (every 5 min) brings it back; on a virtual clock that re-load is a race with time
            // moving on. A lone silo is told of every registration directly, so it keeps its reminders loaded instead.
            silo.Configure<ReminderOptions>(o =>
            {
                o.ReminderLoadingWindow = TimeSpan.FromDays(36500);
                o.RefreshReminderListPeriod = TimeSpan.FromDays(1);
            });
        }

        store.ConfigureSilo(silo);
        silo.ConfigureServices(services =>
        {
            services.AddSingleton(options);
            services.AddSingleton(store);
            services.AddSingleton<IEventLog>(store.EventLog);
            services.AddSingleton<ChangeFeeds>();
            services.AddSingleton<SiloStatisticsReader>();
            services.AddSingleton(cluster);
            services.AddSingleton(new DeliveryWatermark(cluster.IsClustered));
            services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(10));
            if (clock is not null)
            {
                services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, clock);
                services.AddKeyedSingleton<TimeProvider>(Orleans.Reminders.ReminderTimeProviderNames.Reminders, clock);
                services.AddSingleton(clock);
                if (clock.Tracker is { } tracker)
                {
                    var filter = new WorkTrackingFilter(tracker);
                    services.AddSingleton(tracker);
                    services.AddSingleton<IIncomingGrainCallFilter>(filter);
                    services.AddSingleton<IOutgoingGrainCallFilter>(filter);
                    services.AddSingleton<ReminderTickTracker>();
                    services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ReminderTickTracker>());
                }
            }
        });
        return silo;
    }

    private static void UseStoreClustering(ISiloBuilder silo, SiloStore store, SiloOptions options, SiloClusterOptions cluster)
    {
        IPAddress address = cluster.ResolveAddress();
        int siloPort = options.SiloPort > 0 ? options.SiloPort : FreeLoopbackPort();
        int gatewayPort = options.GatewayPort switch { > 0 => options.GatewayPort, 0 => FreeLoopbackPort(), _ => 0 };
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.Id!;
            o.ServiceId = SiloStore.ServiceId;
        });
        silo.ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = ProbeTimeout;
            o.NumMissedProbesLimit = MissedProbesLimit;

            // A silo that starts on the address and port of a killed one replaces it at once; only the table's old rows
            // of silos that are long gone are cleaned up.
            o.DefunctSiloExpiration = TimeSpan.FromHours(1);
        });
        store.ConfigureClustering(silo);
    }

    /// <summary>
    /// Fails with a message naming the port when the silo-to-silo or gateway port that <paramref name="options"/> fix is
    /// taken on the address the silo listens on, so a second silo started on the same port stops at once and says why
    /// instead of failing inside Orleans' start.
    /// </summary>
    /// <exception cref="InvalidOperationException">A port is in use (or the address cannot be listened on).</exception>
    public static void CheckPortsFree(SiloOptions options, SiloClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cluster);
        IPAddress address = cluster.IsClustered ? cluster.ResolveAddress() : IPAddress.Loopback;
        IPAddress listenOn = IPAddress.IsLoopback(address) ? address : IPAddress.Any;
        foreach ((int port, string what) in new[] { (options.SiloPort, "silo-to-silo port (--silo-port)"), (options.GatewayPort, "gateway port (--gateway-port)") })
        {
            if (port <= 0)
            {
                continue;
            }

            var listener = new TcpListener(listenOn, port);
            try
            {
                listener.Start();
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"The {what} {port} on {listenOn} is not free: {e.Message}", e);
            }
            finally
            {
                listener.Stop();
            }
        }
    }

    /// <summary>A loopback TCP port free at the moment of asking.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
