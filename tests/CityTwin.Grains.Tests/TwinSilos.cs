using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Grains.Tests;

/// <summary>Starts a silo with the twin's grains for a test: its storage, an optional clock and rule options.</summary>
internal static class TwinSilos
{
    public static async Task<CityTwin.Silo.Silo> StartAsync<TOptions>(IGrainStorage storage, TimeProvider? clock = null, TOptions? options = null)
        where TOptions : class
    {
        SiloBuilder builder = new SiloBuilder()
            .AddTwin()
            .UseStorage(storage)
            .Configure(o => o.ResponseTimeout = TimeSpan.FromSeconds(20));
        if (clock is not null)
        {
            builder.UseTimeProvider(clock);
        }

        if (options is not null)
        {
            builder.ConfigureServices(s => s.AddSingleton(options));
        }

        CityTwin.Silo.Silo silo = builder.Build();
        await silo.StartAsync();
        return silo;
    }
}
