using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Silo.Tests.Runtime;

/// <summary>Builds started silos with the test grains and a per-silo <see cref="Probe"/>.</summary>
internal static class TestSilo
{
    public static async Task<(Silo Silo, Probe Probe)> StartAsync(Action<SiloBuilder>? configure = null, Probe? probe = null)
    {
        probe ??= new Probe();
        var builder = new SiloBuilder()
            .AddGrains(typeof(TestSilo).Assembly)
            .ConfigureServices(s => s.AddSingleton(probe))
            .Configure(o => o.ResponseTimeout = TimeSpan.FromSeconds(20));
        configure?.Invoke(builder);
        Silo silo = builder.Build();
        await silo.StartAsync();
        return (silo, probe);
    }

    public static async Task<(Silo Silo, Probe Probe)> StartOnAsync(SiloStore store, Action<SiloBuilder>? configure = null, Probe? probe = null) =>
        await StartAsync(b =>
        {
            b.UseStore(store);
            configure?.Invoke(b);
        }, probe);
}
