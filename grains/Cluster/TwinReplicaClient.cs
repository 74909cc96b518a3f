using Orleans.Runtime;
using Orleans.Runtime.Services;

namespace CityTwin.Grains.Cluster;

/// <summary>Orleans' grain service client for <see cref="ITwinReplicaService"/>, by silo address.</summary>
internal sealed class TwinReplicaClient(IServiceProvider services) : GrainServiceClient<ITwinReplicaService>(services), ITwinReplicaClient
{
    /// <inheritdoc />
    public ITwinReplicaService On(SiloAddress silo) => GetGrainService(silo);
}
