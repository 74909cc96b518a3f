using System.Net;
using System.Net.Sockets;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>
/// A real Orleans silo over a <see cref="SiloStore"/> on free loopback ports, as the brief of these tests asks:
/// <c>UseLocalhostClustering(..., serviceId: SiloStore.ServiceId)</c> plus <see cref="SiloStore.ConfigureSilo"/>.
/// Reminders may run every second.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private TestSilo(IHost host)
    {
        _host = host;
    }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The hosted client's grain factory.</summary>
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Reminder ticks received in this silo.</summary>
    public ReminderLog Reminders => _host.Services.GetRequiredService<ReminderLog>();

    /// <summary>Starts a silo over <paramref name="store"/>; <paramref name="configure"/> adds to its configuration.</summary>
    public static async Task<TestSilo> StartAsync(SiloStore store, Action<ISiloBuilder>? configure = null)
    {
        int siloPort = FreeLoopbackPort();
        int gatewayPort = FreeLoopbackPort();
        IHost host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: SiloStore.ServiceId);
                store.ConfigureSilo(silo);
                silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
                silo.ConfigureServices(services => services.AddSingleton<ReminderLog>());
                configure?.Invoke(silo);
            })
            .Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new TestSilo(host);
    }

    /// <summary>Stops the silo (writing nothing more) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            _host.Dispose();
        }
    }

    private static int FreeLoopbackPort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
