using CityTwin.Silo.Storage;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// The live twin's readiness and store. Registered after Orleans' silo on the web host, so it starts once the silo runs:
/// it runs the startup tasks (restore or load the district, start the case loop and the monitor), lets the next silo of a
/// cluster start (<see cref="StartupGate"/>) and then reports ready.
/// Stopping is Orleans' own: on Ctrl-C / SIGTERM every grain deactivates and writes its changed state, then the store closes.
/// </summary>
public sealed class SiloHost(SiloStore store, IServiceProvider services, IEnumerable<ISiloStartupTask> startupTasks, ILogger<SiloHost> logger, StartupGate? gate = null) : IHostedService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The store the live twin lives in.</summary>
    public SiloStore Store => store;

    /// <summary>True once the silo runs and the twin is restored or loaded.</summary>
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Completes when the twin is ready.</summary>
    public Task Ready => _ready.Task;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Store: {Store}", store.Description);
        try
        {
            foreach (ISiloStartupTask task in startupTasks)
            {
                await task.RunAsync(services, store, cancellationToken);
            }
        }
        catch (Exception e)
        {
            _ready.TrySetException(e);
            throw;
        }
        finally
        {
            if (gate is not null)
            {
                await gate.OpenAsync();
            }
        }

        _ready.TrySetResult();
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
