using CityTwin.Silo.Storage;

namespace CityTwin.TwinApi.Hosting;

/// <summary>Work the server runs once the live silo has started and before it reports ready (e.g. loading the district).</summary>
public interface ISiloStartupTask
{
    /// <summary>Runs the task against the live silo's services and store.</summary>
    Task RunAsync(IServiceProvider services, SiloStore store, CancellationToken cancellationToken);
}
