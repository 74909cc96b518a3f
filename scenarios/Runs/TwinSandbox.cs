using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Loading;
using CityTwin.Silo;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Reminders;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// A twin of its own in memory, loaded from a district (a generated one or a saved snapshot file): what the headless
/// <c>citytwin drill</c> forks when no server runs, and what a run forks when it names a snapshot instead of the live twin.
/// </summary>
public sealed class TwinSandbox : IAsyncDisposable
{
    private TwinSandbox(CityTwin.Silo.Silo silo, MemoryGrainStorage storage, MemoryReminderTable reminders, MemoryEventLog eventLog)
    {
        Silo = silo;
        Storage = storage;
        Reminders = reminders;
        EventLog = eventLog;
    }

    /// <summary>The sandbox's silo.</summary>
    public CityTwin.Silo.Silo Silo { get; }

    /// <summary>Its storage.</summary>
    public MemoryGrainStorage Storage { get; }

    /// <summary>Its reminders.</summary>
    public MemoryReminderTable Reminders { get; }

    /// <summary>Its event log.</summary>
    public MemoryEventLog EventLog { get; }

    /// <summary>Loads <paramref name="district"/> into a new in-memory silo.</summary>
    public static async Task<TwinSandbox> CreateAsync(District.District district, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var storage = new MemoryGrainStorage(clock);
        var reminders = new MemoryReminderTable();
        var eventLog = new MemoryEventLog();
        var builder = new SiloBuilder()
            .AddTwin()
            .UseStorage(storage)
            .UseReminderTable(reminders)
            .ConfigureServices(s => s.AddSingleton<IEventLog>(eventLog))
            .Configure(o => o.Name = $"sandbox-{Guid.NewGuid():N}"[..20]);
        if (clock is not null)
        {
            builder.UseTimeProvider(clock);
        }

        CityTwin.Silo.Silo silo = builder.Build();
        await silo.StartAsync(cancellationToken);
        var sandbox = new TwinSandbox(silo, storage, reminders, eventLog);
        try
        {
            await DistrictLoader.LoadAsync(silo, district, null, cancellationToken);
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }

        return sandbox;
    }

    /// <summary>Forks the sandbox at a simulated start (default: its clock's now).</summary>
    public Task<TwinFork> ForkAsync(DateTimeOffset? start = null, CancellationToken cancellationToken = default) =>
        TwinFork.CreateAsync(Silo, Storage, Reminders, start, null, cancellationToken);

    /// <summary>Stops the silo and drops its data.</summary>
    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Storage.DisposeAsync();
        await Reminders.DisposeAsync();
        await EventLog.DisposeAsync();
    }
}
