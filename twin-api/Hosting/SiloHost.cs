using CityTwin.Silo;
using CityTwin.Grains.Twin;
using CityTwin.Silo.Storage;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// Owns the live silo and its store for the lifetime of the server: opens the store, starts the silo, and on shutdown
/// (Ctrl-C, SIGTERM) stops the silo so that every changed grain state is written before the store closes. The silo's
/// limits come from the "Silo" configuration section (e.g. <c>--Silo:MaxQueueLengthPerGrain 100</c>).
/// </summary>
public sealed class SiloHost(StoreOptions storeOptions, ILoggerFactory loggerFactory, IEnumerable<ISiloStartupTask> startupTasks, ILogger<SiloHost> logger,
    IConfiguration? configuration = null) : IHostedService, IAsyncDisposable
{
    private SiloStore? _store;
    private CityTwin.Silo.Silo? _silo;

    /// <summary>The live silo; available once the host has started.</summary>
    public CityTwin.Silo.Silo Silo => _silo ?? throw new InvalidOperationException("The silo has not started yet.");

    /// <summary>The open store; available once the host has started.</summary>
    public SiloStore Store => _store ?? throw new InvalidOperationException("The store has not been opened yet.");

    /// <summary>True once the silo runs.</summary>
    public bool IsReady => _silo is not null;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _store = await SiloStore.OpenAsync(storeOptions, cancellationToken);
        logger.LogInformation("Store: {Store}", _store.Description);
        CityTwin.Silo.Silo silo = new SiloBuilder()
            .AddTwin()
            .UseStore(_store)
            .UseLoggerFactory(loggerFactory)
            .Configure(o =>
            {
                configuration?.GetSection("Silo").Bind(o);
                o.Name = "live";
            })
            .ConfigureServices(s =>
            {
                s.AddSingleton(_store.EventLog);
            })
            .Build();
        await silo.StartAsync(cancellationToken);
        _silo = silo;
        await CityTwin.Grains.Cases.CaseLoop.StartAsync(silo, _store.Storage, cancellationToken);
        foreach (ISiloStartupTask task in startupTasks)
        {
            await task.RunAsync(silo, _store, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_silo is not null)
        {
            SiloStatistics before = _silo.GetStatistics();
            await _silo.StopAsync(cancellationToken);
            logger.LogInformation("Silo stopped: {Activations} activations deactivated, changed state written", before.Activations);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
