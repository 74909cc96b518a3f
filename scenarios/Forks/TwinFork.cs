using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Reminders;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Scenarios.Forks;

/// <summary>
/// A copy of the twin in a silo of its own: its own in-memory storage, reminder table and event log, and a virtual
/// clock the scenario runner advances. The live twin is checkpointed and its stored states copied; after that the two
/// share no object, so nothing a fork does can write to the live twin.
/// </summary>
public sealed class TwinFork : IAsyncDisposable
{
    private TwinFork(string id, CityTwin.Silo.Silo silo, VirtualTimeProvider clock, MemoryGrainStorage storage, MemoryReminderTable reminders, MemoryEventLog eventLog)
    {
        Id = id;
        Silo = silo;
        Clock = clock;
        Storage = storage;
        Reminders = reminders;
        EventLog = eventLog;
        Directory = silo.Services.GetRequiredService<TwinDirectory>();
    }

    /// <summary>The fork's id.</summary>
    public string Id { get; }

    /// <summary>The fork's silo.</summary>
    public CityTwin.Silo.Silo Silo { get; }

    /// <summary>The fork's simulated clock.</summary>
    public VirtualTimeProvider Clock { get; }

    /// <summary>The fork's read model.</summary>
    public TwinDirectory Directory { get; }

    /// <summary>The fork's grain storage (memory).</summary>
    public MemoryGrainStorage Storage { get; }

    /// <summary>The fork's reminder table (memory).</summary>
    public MemoryReminderTable Reminders { get; }

    /// <summary>The fork's own event log (memory): inputs injected into the fork land here, never in the live log.</summary>
    public MemoryEventLog EventLog { get; }

    /// <summary>
    /// Forks <paramref name="live"/>: checkpoints it, copies every stored grain state and reminder, starts a new silo
    /// on a virtual clock reading <paramref name="start"/> (default: the live clock's now) and rebuilds its read model.
    /// </summary>
    public static async Task<TwinFork> CreateAsync(
        CityTwin.Silo.Silo live, IGrainStorage liveStorage, IReminderTable? liveReminders, DateTimeOffset? start = null,
        Action<SiloBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        string id = Guid.NewGuid().ToString("N")[..12];
        await live.CheckpointAsync(cancellationToken);
        var clock = new VirtualTimeProvider(start ?? live.TimeProvider.GetUtcNow());
        var storage = new MemoryGrainStorage(clock);
        foreach (string grainType in live.GrainClasses.Keys)
        {
            await foreach (KeyValuePair<GrainStateKey, StoredGrainState> state in liveStorage.ReadAllAsync(grainType, cancellationToken))
            {
                await storage.WriteAsync(state.Key, state.Value.Payload, 0, cancellationToken);
            }
        }

        var reminders = new MemoryReminderTable();
        if (liveReminders is not null)
        {
            foreach (ReminderEntry entry in await liveReminders.ReadAllAsync(cancellationToken))
            {
                await reminders.UpsertAsync(entry, cancellationToken);
            }
        }

        var eventLog = new MemoryEventLog();
        var builder = new SiloBuilder()
            .AddTwin()
            .UseStorage(storage)
            .UseReminderTable(reminders)
            .UseTimeProvider(clock)
            .ConfigureServices(s => s.AddSingleton<IEventLog>(eventLog))
            .Configure(o =>
            {
                o.Name = $"fork-{id}";

                // Simulated hours pass in real seconds; keep the fork's grains until the fork is released.
                o.CollectionAge = TimeSpan.FromDays(1);
            });
        configure?.Invoke(builder);
        CityTwin.Silo.Silo silo = builder.Build();
        await silo.StartAsync(cancellationToken);
        var fork = new TwinFork(id, silo, clock, storage, reminders, eventLog);
        DistrictMeta? meta = await silo.GrainFactory.GetGrain<ITwinMetaGrain>("current").GetAsync();
        if (meta is null)
        {
            await fork.DisposeAsync();
            throw new InvalidOperationException("The live twin has no district loaded; there is nothing to fork.");
        }

        await TwinRestorer.RestoreAsync(silo, storage, fork.Directory, meta, cancellationToken);
        await silo.GrainFactory.GetGrain<ITwinMonitorGrain>(ITwinMonitorGrain.Key).StartAsync();
        await Grains.Cases.CaseLoop.StartAsync(silo, storage, cancellationToken);
        return fork;
    }

    /// <summary>Stops the fork's silo and drops its data.</summary>
    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Storage.DisposeAsync();
        await Reminders.DisposeAsync();
        await EventLog.DisposeAsync();
    }
}
