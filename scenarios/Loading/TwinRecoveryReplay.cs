using CityTwin.Grains.Cluster;

namespace CityTwin.Scenarios.Loading;

/// <summary><see cref="IInputReplay"/> by <see cref="TwinRecovery"/>, over the silo whose services are <paramref name="services"/>.</summary>
public sealed class TwinRecoveryReplay(IServiceProvider services) : IInputReplay
{
    /// <inheritdoc />
    public Task<long> ReplayAsync(CancellationToken cancellationToken) => TwinRecovery.ReplayAsync(services, cancellationToken);
}
