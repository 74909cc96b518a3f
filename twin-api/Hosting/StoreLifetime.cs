using CityTwin.Silo.Storage;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// Closes the live store when the server stops. Registered before Orleans' silo, so it stops after it: the grains'
/// last state writes and the event log's last appends are committed before the connections close.
/// </summary>
public sealed class StoreLifetime(SiloStore store) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await store.DisposeAsync();
}
