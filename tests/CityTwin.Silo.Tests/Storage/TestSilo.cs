using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>
/// A real Orleans silo over a <see cref="SiloStore"/> on free loopback ports, started the way every CityTwin silo is
/// (<see cref="EmbeddedSilo"/>, configured by <see cref="SiloSetup.UseCityTwin"/>: the store's grain storage and
/// reminders under <see cref="SiloStore.ServiceId"/>). Reminders may run every second. The store stays the caller's, so
/// a test can restart a silo on the same data.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly EmbeddedSilo _silo;

    private TestSilo(EmbeddedSilo silo)
    {
        _silo = silo;
    }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services => _silo.Services;

    /// <summary>The silo's grain factory.</summary>
    public IGrainFactory Grains => _silo.GrainFactory;

    /// <summary>Reminder ticks received in this silo.</summary>
    public ReminderLog Reminders { get; private init; } = null!;

    /// <summary>Starts a silo over <paramref name="store"/>; <paramref name="configure"/> adds to its configuration.</summary>
    public static async Task<TestSilo> StartAsync(SiloStore store, Action<ISiloBuilder>? configure = null)
    {
        var options = new SiloOptions { Name = "storage-test", ClusterId = $"storage-test-{Guid.NewGuid():N}", ShutdownTimeout = TimeSpan.FromSeconds(20) };
        EmbeddedSilo silo = await EmbeddedSilo.StartAsync(store, options, builder =>
        {
            builder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            builder.ConfigureServices(services => services.AddSingleton<ReminderLog>());
            configure?.Invoke(builder);
        });
        return new TestSilo(silo) { Reminders = silo.Services.GetRequiredService<ReminderLog>() };
    }

    /// <summary>Stops the silo gracefully and releases it (the store stays open).</summary>
    public ValueTask DisposeAsync() => _silo.DisposeAsync();
}
