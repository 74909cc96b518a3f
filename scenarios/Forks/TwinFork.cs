using CityTwin.Grains;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Loading;
using CityTwin.Scenarios.Runs;
using CityTwin.Silo;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Quiescence;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Metadata;
using Orleans.Runtime;

namespace CityTwin.Scenarios.Forks;

/// <summary>
/// A copy of the twin in an Orleans silo of its own, in this process: its own cluster id and loopback port, memory
/// storage seeded from the live twin's stored states, its own event log, and a virtual clock the scenario runner advances
/// (Orleans' keyed time providers of grains and reminders). The live twin is checkpointed first so storage holds it as it
/// is now; after that the two share no object and no cluster, so nothing a fork does can write to the live twin. Live
/// reminders are not copied: open cases are carried over frozen (<see cref="ForkMode"/>: no SLA clock, no escalation,
/// unless <see cref="ThawCarriedCasesAsync"/>), only what the scenario raises runs an SLA clock, and the fork's sensors
/// are simulated (silence is not offline). <see cref="CarriedOver"/> lists what came from the live twin.
/// </summary>
public sealed class TwinFork : IAsyncDisposable
{
    private TwinFork(string id, TwinSilo silo, VirtualTimeProvider clock, MemoryGrainStorage storage, ForkMode mode)
    {
        Mode = mode;
        Id = id;
        Silo = silo;
        Clock = clock;
        Storage = storage;
        EventLog = silo.Store.EventLog;
    }

    /// <summary>The fork's id.</summary>
    public string Id { get; }

    /// <summary>The fork's silo, with the fork's read model, alerts, case list and intake.</summary>
    public TwinSilo Silo { get; }

    /// <summary>The fork's simulated clock.</summary>
    public VirtualTimeProvider Clock { get; }

    /// <summary>The fork's read model.</summary>
    public TwinDirectory Directory => Silo.Directory;

    /// <summary>The fork's grain storage (memory, seeded from the live twin).</summary>
    public MemoryGrainStorage Storage { get; }

    /// <summary>The fork's mode: simulated sensors, frozen carried-over cases.</summary>
    public ForkMode Mode { get; }

    /// <summary>What the fork carried over from the live twin (open cases, sensors in alarm), taken when it was made.</summary>
    public CarryOver CarriedOver { get; private set; } = new();

    /// <summary>The fork's own event log (memory): inputs injected into the fork land here, never in the live log.</summary>
    public IEventLog EventLog { get; }

    /// <summary>
    /// Forks the live twin whose silo services are <paramref name="live"/> and whose store is <paramref name="liveStore"/>:
    /// checkpoints it, copies every stored grain state, starts a new silo on a virtual clock reading <paramref name="start"/>
    /// (default: the live clock's now) and rebuilds its read model and case list.
    /// </summary>
    public static async Task<TwinFork> CreateAsync(
        IServiceProvider live, SiloStore liveStore, DateTimeOffset? start = null, Action<ISiloBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(liveStore);
        string id = Guid.NewGuid().ToString("N")[..12];
        await SiloCheckpoint.RunAsync(live, SiloCheckpoint.AllAtOnce, cancellationToken);
        var storage = new MemoryGrainStorage();
        foreach (string grainType in GrainTypes(live))
        {
            await foreach (StoredState state in liveStore.States.ReadAllAsync(grainType, cancellationToken))
            {
                storage.Seed(state);
            }
        }

        var tracker = new WorkTracker();
        var clock = new VirtualTimeProvider(start ?? live.GetGrainTimeProvider().GetUtcNow(), tracker);
        var options = new SiloOptions
        {
            Name = $"fork-{id}",
            ClusterId = $"fork-{id}",

            // Simulated hours pass in real seconds; keep the fork's grains until the fork is released.
            CollectionAge = TimeSpan.FromDays(1),

            // A fork's state is dropped with it, so stopping it need not wait for grains to write anything.
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        };
        var mode = new ForkMode();
        TwinSilo silo = await TwinSilo.StartAsync(SiloStore.CreateMemory(storage), options, clock, s =>
        {
            s.ConfigureServices(services => services.AddSingleton(mode));
            configure?.Invoke(s);
        }, cancellationToken: cancellationToken);
        var fork = new TwinFork(id, silo, clock, storage, mode);
        try
        {
            TwinStartupResult started = await TwinStartup.RunAsync(silo.Services, storage, cancellationToken: cancellationToken);
            if (started.District is null)
            {
                throw new ScenarioRunException("The live twin has no district loaded; there is nothing to fork.");
            }

            fork.CarriedOver = fork.TakeCarryOver();
            mode.Freeze(fork.CarriedOver.Cases.Select(c => c.Id));
            await silo.WaitForQuiescenceAsync(cancellationToken);
        }
        catch
        {
            await fork.DisposeAsync();
            throw;
        }

        return fork;
    }

    /// <summary>
    /// Lets the SLA clocks of the carried-over cases run in the fork (a scenario with <c>liveCases: running</c>): each
    /// open carried case arms its current stage's reminder on the fork's clock.
    /// </summary>
    public async Task ThawCarriedCasesAsync()
    {
        CarriedOver.SlaClocks = "running";
        foreach (string id in Mode.Thaw())
        {
            await Silo.GrainFactory.GetGrain<ICaseGrain>(id).ResumeSlaAsync();
        }

        await Silo.WaitForQuiescenceAsync();
    }

    /// <summary>The Orleans grain type names of the twin's grain classes, as the silo whose services are <paramref name="silo"/> knows them.</summary>
    public static IEnumerable<string> GrainTypes(IServiceProvider silo)
    {
        GrainClassMap classes = silo.GetRequiredService<GrainClassMap>();
        foreach (GrainType type in silo.GetRequiredService<IClusterManifestProvider>().LocalGrainManifest.Grains.Keys)
        {
            if (classes.TryGetGrainClass(type, out Type? grainClass) && grainClass?.Assembly == typeof(GrainsAssembly).Assembly)
            {
                yield return type.ToString()!;
            }
        }
    }

    private CarryOver TakeCarryOver()
    {
        CaseIndex cases = Silo.Services.GetRequiredService<CaseIndex>();
        (_, IReadOnlyList<CaseSummary> all) = cases.Query(new CaseQuery(), 1, Math.Max(1, cases.Count));
        return new CarryOver
        {
            Cases = [.. all.Where(c => !CaseStateMachine.IsTerminal(c.Status)).OrderBy(c => c.Id, StringComparer.Ordinal)
                .Select(c => new CarriedCase(c.Id, c.Category, CaseNames.Of(c.Status), c.Severity, c.Level, c.Overdue, c.ReportedAt))],
            Alarms = [.. Directory.OfType(EntityType.Sensor).Where(s => s.Status == SensorState.Alarm).OrderBy(s => s.Id, StringComparer.Ordinal)
                .Select(s => new CarriedAlarm(s.Id, s.Kind, s.BuildingId, s.UpdatedAt))],
        };
    }

    /// <summary>Stops the fork's silo and drops its data.</summary>
    public ValueTask DisposeAsync() => Silo.DisposeAsync();
}
