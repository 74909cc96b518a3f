using CityTwin.Scenarios.Runs;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// Ends every scenario run as the server begins to stop, before any hosted service (the live silo among them) stops:
/// runs are cancelled and given at most <see cref="ScenarioRunOptions.StopTimeout"/> to release their forks, so a graceful
/// stop ends within its timeout whatever runs.
/// </summary>
public sealed class ScenarioRunsShutdown(IServiceProvider services, ILogger<ScenarioRunsShutdown> logger) : IHostedLifecycleService
{
    // A server that failed to start (e.g. on a setting out of range) has no runs to stop.
    private volatile bool _started;

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            return;
        }

        ScenarioRunRegistry runs = services.GetRequiredService<ScenarioRunRegistry>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(runs.Options.StopTimeout);
        int left = await runs.StopAllAsync(timeout.Token);
        if (left > 0)
        {
            logger.LogWarning("{Runs} scenario runs had not ended {Timeout} after they were cancelled; the server stops without waiting for them", left, runs.Options.StopTimeout);
        }
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _started = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
