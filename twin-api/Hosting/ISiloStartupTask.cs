using CityTwin.Silo.Storage;

namespace CityTwin.TwinApi.Hosting;

/// <summary>Work that runs once the live silo has started and before the server reports ready (e.g. loading the demo district).</summary>
public interface ISiloStartupTask
{
    /// <summary>Runs the task.</summary>
    Task RunAsync(CityTwin.Silo.Silo silo, SiloStore store, CancellationToken cancellationToken);
}
