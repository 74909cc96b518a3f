using Orleans.Runtime;
using Orleans.Services;

namespace CityTwin.Grains.Cluster;

/// <summary>Reaches the <see cref="ITwinReplicaService"/> of a given silo.</summary>
public interface ITwinReplicaClient : IGrainServiceClient<ITwinReplicaService>
{
    /// <summary>The service on <paramref name="silo"/>.</summary>
    ITwinReplicaService On(SiloAddress silo);
}
