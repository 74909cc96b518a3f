using CityTwin.Silo.Storage;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// Holds the store's startup lock (<see cref="SiloStore.LockStartupAsync"/>) from before the silo starts until its twin is
/// restored or loaded (<see cref="SiloHost"/> opens it): silos of a cluster started at once then join one at a time, so
/// no grain of a district being loaded is placed on a silo whose twin is not up yet, and only the first loads it.
/// Registered before Orleans' silo, so it starts first.
/// </summary>
public sealed class StartupGate(SiloStore store) : IHostedService
{
    private IAsyncDisposable? _lock;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken) => _lock = await store.LockStartupAsync(cancellationToken);

    /// <summary>Lets the next silo start; calling it again does nothing.</summary>
    public async Task OpenAsync()
    {
        if (Interlocked.Exchange(ref _lock, null) is { } held)
        {
            await held.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => OpenAsync();
}
