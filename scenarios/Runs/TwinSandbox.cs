using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Loading;
using CityTwin.Silo;
using CityTwin.Silo.Storage;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// A twin of its own in memory, loaded from a district (a generated one or a saved snapshot file): what the headless
/// <c>citytwin drill</c> forks when no server runs, and what a run forks when it names a snapshot instead of the live twin.
/// </summary>
public sealed class TwinSandbox : IAsyncDisposable
{
    private TwinSandbox(TwinSilo silo) => Silo = silo;

    /// <summary>The sandbox's silo, with its read model, alerts and case list.</summary>
    public TwinSilo Silo { get; }

    /// <summary>Loads <paramref name="district"/> into a new in-memory silo (on <paramref name="clock"/> when given).</summary>
    public static async Task<TwinSandbox> CreateAsync(District.District district, VirtualTimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var options = new SiloOptions { Name = $"sandbox-{Guid.NewGuid():N}"[..20] };
        options.ClusterId = options.Name;
        TwinSilo silo = await TwinSilo.StartAsync(SiloStore.CreateMemory(), options, clock, cancellationToken: cancellationToken);
        var sandbox = new TwinSandbox(silo);
        try
        {
            await TwinStartup.RunAsync(silo.Services, silo.Store.States, _ => Task.FromResult(district), cancellationToken: cancellationToken);
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }

        return sandbox;
    }

    /// <summary>Forks the sandbox at a simulated start (default: its clock's now).</summary>
    public Task<TwinFork> ForkAsync(DateTimeOffset? start = null, CancellationToken cancellationToken = default) =>
        TwinFork.CreateAsync(Silo.Services, Silo.Store, start, null, cancellationToken);

    /// <summary>Stops the silo and drops its data.</summary>
    public ValueTask DisposeAsync() => Silo.DisposeAsync();
}
