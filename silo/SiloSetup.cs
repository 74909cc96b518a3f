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
/// forks, sandboxes and tests: clustering (one silo on loopback), grain storage and reminders from the opened
/// <see cref="SiloStore"/>, the durable event log, limits, idle collection and, for a silo on a virtual clock, the
/// keyed time providers of grains and reminders plus the work tracking that lets it settle.
/// </summary>
public static class SiloSetup
{
    /// <summary>Configures <paramref name="silo"/> over <paramref name="store"/>; with a <paramref name="clock"/> the grains run on it.</summary>
    public static ISiloBuilder UseCityTwin(this ISiloBuilder silo, SiloStore store, SiloOptions options, VirtualTimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        int siloPort = options.SiloPort > 0 ? options.SiloPort : FreeLoopbackPort();
        int gatewayPort = options.GatewayPort switch { > 0 => options.GatewayPort, 0 => FreeLoopbackPort(), _ => 0 };
        silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, siloPort), SiloStore.ServiceId, options.ClusterId);
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
            services.AddSingleton<DeliveryWatermark>();
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

    /// <summary>A loopback TCP port free at the moment of asking.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
