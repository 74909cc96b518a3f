using System.Collections.Concurrent;
using System.Text.Json;
using CityTwin.Silo.Reminders;
using CityTwin.Silo.Runtime;
using CityTwin.Silo.Storage;
using CityTwin.Silo.Streams;
using Microsoft.Extensions.Logging;

namespace CityTwin.Silo;

/// <summary>
/// One grain runtime: a directory of activations (at most one per grain identity), a clock, storage, reminders and
/// streams. Silos share nothing, so a process can host a live silo beside forks and test silos. Build with
/// <see cref="SiloBuilder"/>; start before use; stop to deactivate every grain and write its changed state.
/// </summary>
public sealed class Silo : IAsyncDisposable
{
    private const int Created = 0, Running = 1, Stopping = 2, Stopped = 3;

    private readonly ConcurrentDictionary<GrainId, ActivationData> _directory = new();
    private readonly Dictionary<Type, GrainInterfaceInfo> _interfaces = [];
    private readonly Dictionary<Type, string> _ambiguousInterfaces = [];
    private readonly Dictionary<string, GrainClassInfo> _classesByTypeName = new(StringComparer.Ordinal);
    private readonly ServiceProviderWrapper _services;
    private readonly IReminderTable _reminderTable;
    private readonly CancellationTokenSource _stopMaintenance = new();
    private Task _maintenance = Task.CompletedTask;
    private int _status;
    private long _startedAt;
    private long _inFlight;
    private long _messagesDone;
    private long _activationsCreated;
    private long _deactivations;
    private long _overloads;
    private long _timeouts;
    private long _unobservedFailures;
    private double _messagesPerSecond;

    internal Silo(SiloOptions options, IEnumerable<Type> grainClasses, IGrainStorage storage, IReminderTable reminderTable,
        TimeProvider timeProvider, ILoggerFactory loggerFactory, Func<Silo, IServiceProvider> buildServices)
    {
        Options = options;
        Storage = storage;
        _reminderTable = reminderTable;
        TimeProvider = timeProvider;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger($"CityTwin.Silo.{options.Name}");
        RequestContext = new RequestContext();
        GrainFactory = new GrainFactory(this);
        Streams = new InProcessStreamProvider(this);
        ReminderService = new ReminderService(this, reminderTable);
        Metrics = new SiloMetrics(this);
        RegisterGrainClasses(grainClasses);
        _services = new ServiceProviderWrapper(buildServices(this));
    }

    /// <summary>The silo's settings.</summary>
    public SiloOptions Options { get; }

    /// <summary>Returns references to grains of this silo.</summary>
    public IGrainFactory GrainFactory { get; }

    /// <summary>The silo's clock: system time for the live twin, a <see cref="VirtualTimeProvider"/> for forks and drills.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The silo's in-process streams.</summary>
    public IStreamProvider Streams { get; }

    /// <summary>Services grains are constructed with.</summary>
    public IServiceProvider Services => _services.Inner;

    /// <summary>Live activations.</summary>
    public int ActivationCount => _directory.Count;

    /// <summary>The grain classes this silo hosts, by grain type name (the name used in identities and storage).</summary>
    public IReadOnlyDictionary<string, Type> GrainClasses => _classesByTypeName.ToDictionary(kv => kv.Key, kv => kv.Value.Type);

    internal IGrainStorage Storage { get; }

    internal JsonSerializerOptions StateSerializerOptions { get; } = StateJson.CreateOptions();

    internal RequestContext RequestContext { get; }

    internal ILogger Logger { get; }

    internal ILoggerFactory LoggerFactory { get; }

    internal SiloMetrics Metrics { get; }

    internal ReminderService ReminderService { get; }

    internal bool IsStopping => Volatile.Read(ref _status) >= Stopping;

    internal long MessagesProcessed => Interlocked.Read(ref _messagesDone);

    internal long InFlight => Interlocked.Read(ref _inFlight);

    internal long Overloads => Interlocked.Read(ref _overloads);

    /// <summary>Loads reminders and starts idle collection and response-timeout checks.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _status, Running, Created) != Created)
        {
            throw new InvalidOperationException($"Silo '{Options.Name}' was already started.");
        }

        _startedAt = Environment.TickCount64;
        await ReminderService.StartAsync(cancellationToken);
        _maintenance = Task.Run(() => MaintainAsync(_stopMaintenance.Token), CancellationToken.None);
        Logger.LogInformation("Silo {Name} started with {Types} grain types on {Storage} storage", Options.Name, _classesByTypeName.Count, Storage.Name);
    }

    /// <summary>Stops: no new activations; every activation finishes its running requests, deactivates and writes changed state.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        int previous = Interlocked.CompareExchange(ref _status, Stopping, Running);
        if (previous != Running)
        {
            Interlocked.CompareExchange(ref _status, Stopped, Created);
            return;
        }

        await _stopMaintenance.CancelAsync();
        await ReminderService.DisposeAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.ShutdownTimeout);
        int before = _directory.Count;
        try
        {
            // Deactivating grains may call grains that are still live; repeat until the directory is empty.
            for (int round = 0; round < 10 && !_directory.IsEmpty; round++)
            {
                await Task.WhenAll(_directory.Values.Select(a => a.DeactivateForShutdownAsync())).WaitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            Logger.LogError("Silo {Name} stopped with {Count} activations still running after {Timeout}", Options.Name, _directory.Count, Options.ShutdownTimeout);
        }

        try
        {
            await _maintenance;
        }
        catch (OperationCanceledException)
        {
        }

        Volatile.Write(ref _status, Stopped);
        Logger.LogInformation("Silo {Name} stopped; {Count} activations deactivated", Options.Name, before);
    }

    /// <summary>Stops the silo if needed and releases its resources (storage is owned by the caller).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Metrics.Dispose();
        await _services.DisposeAsync();
        _stopMaintenance.Dispose();
    }

    /// <summary>A snapshot of the silo's counters.</summary>
    public SiloStatistics GetStatistics()
    {
        long queued = 0;
        foreach (ActivationData a in _directory.Values)
        {
            queued += a.WaitingCount;
        }

        StorageStatistics s = Storage.Statistics;
        string status = Volatile.Read(ref _status) switch { Created => "created", Running => "running", Stopping => "stopping", _ => "stopped" };
        return new SiloStatistics(
            Options.Name, status, _startedAt == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Environment.TickCount64 - _startedAt),
            _directory.Count, Interlocked.Read(ref _activationsCreated), Interlocked.Read(ref _deactivations),
            MessagesProcessed, Volatile.Read(ref _messagesPerSecond), InFlight, queued, Overloads,
            Interlocked.Read(ref _timeouts), Interlocked.Read(ref _unobservedFailures), ReminderService.Count,
            Streams.DroppedItems, s.Writes, s.Batches, s.Reads, s.Failures, s.MeanBatchLatency.TotalMilliseconds);
    }

    /// <summary>
    /// Writes the changed persistent state of every live activation, each as a turn of its own grain, and returns how
    /// many states were written. Afterwards storage holds the twin as it is now (used to snapshot and fork it).
    /// </summary>
    public async Task<int> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        var pending = new List<Task<int>>();
        foreach (ActivationData activation in _directory.Values)
        {
            var message = new CheckpointMessage(activation);
            SendToActivation(activation, message);
            pending.Add(message.Completion);
        }

        int[] written = await Task.WhenAll(pending).WaitAsync(cancellationToken);
        return written.Sum();
    }

    /// <summary>Completes when no message is queued or running anywhere in the silo.</summary>
    public async Task WaitForQuiescenceAsync(CancellationToken cancellationToken = default)
    {
        int spins = 0;
        while (Interlocked.Read(ref _inFlight) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++spins < 50)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Advances a silo on a <see cref="VirtualTimeProvider"/>: timers and reminders fire in due order in simulated time,
    /// and the silo settles after each firing, so an hour of simulated ticks runs in a fraction of a second.
    /// </summary>
    public Task AdvanceTimeAsync(TimeSpan by, CancellationToken cancellationToken = default) =>
        TimeProvider is VirtualTimeProvider clock
            ? clock.AdvanceAsync(by, WaitForQuiescenceAsync, cancellationToken)
            : throw new InvalidOperationException($"Silo '{Options.Name}' runs on {TimeProvider.GetType().Name}; only a silo on a VirtualTimeProvider can be advanced.");



    internal GrainReference GetReference(Type interfaceType, string key)
    {
        if (_interfaces.TryGetValue(interfaceType, out GrainInterfaceInfo? info))
        {
            return info.CreateReference(this, new GrainId(info.GrainClass.TypeName, key));
        }

        throw _ambiguousInterfaces.TryGetValue(interfaceType, out string? classes)
            ? new ArgumentException($"Grain interface {interfaceType.Name} is implemented by several grain classes ({classes}); use a more specific interface.")
            : new ArgumentException($"No grain class in silo '{Options.Name}' implements {interfaceType.Name}; add its assembly with SiloBuilder.AddGrains.");
    }

    /// <summary>Sends a call; returns a faulted task when it is rejected at once (overload, stopping), otherwise null.</summary>
    internal Task? Send(GrainReference reference, Message message)
    {
        message.Chain = RequestContext.Chain;
        message.SentAt = Environment.TickCount64;
        if (Volatile.Read(ref _status) != Running)
        {
            return Reject(message, new SiloUnavailableException($"Silo '{Options.Name}' is not running; {message.Describe()} was not delivered."));
        }

        if (Interlocked.Increment(ref _inFlight) > Options.MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            Interlocked.Increment(ref _overloads);
            return Reject(message, new GrainOverloadedException($"Silo '{Options.Name}' has {Options.MaxInFlight} messages in flight (its limit); {message.Describe()} was rejected. Retry later."));
        }

        EnqueueResult result = Dispatch(reference.GrainId, reference.GrainClass, message, reference);
        return result == EnqueueResult.Accepted ? null : RejectDispatched(reference.GrainId, message, result);
    }

    /// <summary>Sends a message bound to one activation (timer tick, stream item); dropped if that activation is gone.</summary>
    internal void SendToActivation(ActivationData activation, Message message)
    {
        message.SentAt = Environment.TickCount64;
        Interlocked.Increment(ref _inFlight);
        if (activation.Enqueue(message) != EnqueueResult.Accepted)
        {
            Interlocked.Decrement(ref _inFlight);
            message.Fail(new SiloUnavailableException($"{activation.GrainId} is no longer active."));
        }
    }

    /// <summary>Delivers a reminder tick to a grain, activating it; false when it cannot be delivered now.</summary>
    internal bool SendReminder(GrainId grain, string name, TickStatus status, object reminder)
    {
        if (Volatile.Read(ref _status) != Running)
        {
            return false;
        }

        if (!_classesByTypeName.TryGetValue(grain.Type, out GrainClassInfo? cls) || !typeof(IRemindable).IsAssignableFrom(cls.Type))
        {
            Logger.LogWarning("Reminder {Name} names {Grain}, which is not a remindable grain type of this silo", name, grain);
            return false;
        }

        var message = new ReminderTick(name, status, reminder, grain) { SentAt = Environment.TickCount64 };
        Interlocked.Increment(ref _inFlight);
        if (Dispatch(grain, cls, message, null) != EnqueueResult.Accepted)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        return true;
    }

    /// <summary>Sends a message that was queued at an activation that deactivated to the grain's next activation.</summary>
    internal void Redispatch(GrainId grain, GrainClassInfo grainClass, Message message)
    {
        EnqueueResult result = Dispatch(grain, grainClass, message, null);
        if (result != EnqueueResult.Accepted)
        {
            RejectDispatched(grain, message, result);
        }
    }

    internal void RemoveActivation(ActivationData activation) => _directory.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));

    internal void OnActivated() => Interlocked.Increment(ref _activationsCreated);

    internal void OnDeactivated() => Interlocked.Increment(ref _deactivations);

    internal void OnMessageDone()
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _messagesDone);
    }

    internal void OnUnobservedFailure(Message message, Exception error)
    {
        Interlocked.Increment(ref _unobservedFailures);
        Logger.LogWarning(error, "{Message} failed", message.Describe());
    }

    private EnqueueResult Dispatch(GrainId grain, GrainClassInfo grainClass, Message message, GrainReference? reference)
    {
        ActivationData? activation = reference?.CachedActivation;
        while (true)
        {
            activation ??= _directory.GetOrAdd(grain, static (id, grainClass) => new ActivationData(id, grainClass), grainClass);
            EnqueueResult result = activation.Enqueue(message);
            if (result != EnqueueResult.Invalid)
            {
                if (reference is not null && result == EnqueueResult.Accepted)
                {
                    reference.CachedActivation = activation;
                }

                if (result == EnqueueResult.Refused)
                {
                    // A directory entry created while stopping is never activated; drop it.
                    RemoveActivationIfCreated(activation);
                }

                return result;
            }

            // The activation deactivated after we found it: look the grain up again.
            if (reference is not null)
            {
                reference.CachedActivation = null;
            }

            activation = null;
        }
    }

    private void RemoveActivationIfCreated(ActivationData activation)
    {
        if (activation.State == ActivationState.Created)
        {
            activation.DeactivateForShutdownAsync();
        }
    }

    private Task RejectDispatched(GrainId grain, Message message, EnqueueResult result)
    {
        Interlocked.Decrement(ref _inFlight);
        if (result == EnqueueResult.Overloaded)
        {
            Interlocked.Increment(ref _overloads);
            return Reject(message, new GrainOverloadedException($"Grain {grain} has {Options.MaxQueueLengthPerGrain} queued requests (its limit); {message.Describe()} was rejected. Retry later."));
        }

        return Reject(message, new SiloUnavailableException($"Silo '{Options.Name}' is stopping; {message.Describe()} was not delivered."));
    }

    private static Task Reject(Message message, Exception error)
    {
        message.Fail(error);
        return Task.FromException(error);
    }

    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        // Idle collection and response timeouts are about real resources and real callers, so they run on real
        // time even when grains run on a virtual clock.
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        long lastCollection = Environment.TickCount64;
        long lastTimeoutCheck = Environment.TickCount64;
        long lastRate = Environment.TickCount64, lastCount = MessagesProcessed;
        var expired = new List<Message>();
        while (await ticker.WaitForNextTickAsync(cancellationToken))
        {
            long now = Environment.TickCount64;
            if (now - lastRate >= 1000)
            {
                long count = MessagesProcessed;
                Volatile.Write(ref _messagesPerSecond, (count - lastCount) * 1000.0 / (now - lastRate));
                lastRate = now;
                lastCount = count;
            }

            long timeoutMs = (long)Options.ResponseTimeout.TotalMilliseconds;
            if (now - lastTimeoutCheck >= Math.Clamp(timeoutMs / 4, 250, 5000))
            {
                lastTimeoutCheck = now;
                foreach (ActivationData a in _directory.Values)
                {
                    a.CollectExpired(now, timeoutMs, expired);
                }

                foreach (Message m in expired)
                {
                    Interlocked.Increment(ref _timeouts);
                    m.Fail(new GrainCallTimeoutException($"{m.Describe()} did not complete within {Options.ResponseTimeout.TotalSeconds:0.###} s."));
                }

                expired.Clear();
            }

            if (now - lastCollection >= (long)Options.CollectionQuantum.TotalMilliseconds)
            {
                lastCollection = now;
                long cutoff = now - (long)Options.CollectionAge.TotalMilliseconds;
                int collected = 0;
                foreach (ActivationData a in _directory.Values)
                {
                    if (a.TryCollectIdle(cutoff))
                    {
                        collected++;
                    }
                }

                if (collected > 0)
                {
                    Logger.LogDebug("Collecting {Count} idle activations", collected);
                }
            }
        }
    }

    private void RegisterGrainClasses(IEnumerable<Type> grainClasses)
    {
        var owners = new Dictionary<Type, List<GrainClassInfo>>();
        foreach (Type type in grainClasses.Distinct())
        {
            var info = new GrainClassInfo(type, this);
            if (_classesByTypeName.TryGetValue(info.TypeName, out GrainClassInfo? other))
            {
                throw new ArgumentException($"Grain classes {other.Type.FullName} and {type.FullName} both have grain type name '{info.TypeName}'; set [GrainType] on one of them.");
            }

            _classesByTypeName[info.TypeName] = info;
            foreach (Type i in type.GetInterfaces())
            {
                if (typeof(IGrain).IsAssignableFrom(i) && i != typeof(IGrain) && i != typeof(IGrainWithStringKey)
                    && i != typeof(IGrainWithGuidKey) && i != typeof(IGrainWithIntegerKey) && i != typeof(IRemindable))
                {
                    (owners.TryGetValue(i, out List<GrainClassInfo>? list) ? list : owners[i] = []).Add(info);
                }
            }
        }

        foreach ((Type i, List<GrainClassInfo> classes) in owners)
        {
            if (classes.Count == 1)
            {
                _interfaces[i] = new GrainInterfaceInfo(i, classes[0]);
            }
            else
            {
                _ambiguousInterfaces[i] = string.Join(", ", classes.Select(c => c.Type.Name));
            }
        }
    }

    private sealed class ServiceProviderWrapper(IServiceProvider inner) : IAsyncDisposable
    {
        public IServiceProvider Inner { get; } = inner;

        public ValueTask DisposeAsync() => Inner is IAsyncDisposable d ? d.DisposeAsync() : ValueTask.CompletedTask;
    }
}
