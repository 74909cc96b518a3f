using System.Globalization;
using CityTwin.Silo.Runtime;
using CityTwin.Silo.Streams;

namespace CityTwin.Silo;

/// <summary>
/// Base class of grains (Orleans: Grain). Runtime members (identity, factory, timers, reminders, streams) are
/// available from OnActivateAsync on, not in the constructor; constructors take services and [PersistentState].
/// </summary>
public abstract class Grain
{
    private ActivationData? _activation;

    internal ActivationData Activation
    {
        get => _activation ?? throw new InvalidOperationException("Grain runtime members are available from OnActivateAsync on, not in the constructor.");
        set => _activation = value;
    }

    /// <summary>This grain's identity.</summary>
    public GrainId GrainId => Activation.GrainId;

    /// <summary>The grain factory of this grain's silo.</summary>
    protected IGrainFactory GrainFactory => Activation.Silo.GrainFactory;

    /// <summary>The silo's clock; virtual in forks and drills. Use it instead of DateTime.UtcNow.</summary>
    protected TimeProvider TimeProvider => Activation.Silo.TimeProvider;

    /// <summary>The string key of this grain.</summary>
    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>The integer key of this grain.</summary>
    public long GetPrimaryKeyLong() => long.Parse(GrainId.Key, CultureInfo.InvariantCulture);

    /// <summary>The Guid key of this grain.</summary>
    public Guid GetPrimaryKey() => Guid.Parse(GrainId.Key);

    /// <summary>Called once, before the first message, after persistent state was read.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called before the activation goes away; changed persistent state is written after it returns.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once its running requests complete.</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation(DeactivationReason.ApplicationRequested);

    /// <summary>Registers a timer whose ticks run as turns of this grain and never overlap.</summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        new GrainTimer(Activation, (_, ct) => callback(ct), null, new GrainTimerCreationOptions(dueTime, period));

    /// <summary>Registers a timer with state and options (interleaving, keep-alive).</summary>
    protected IGrainTimer RegisterGrainTimer<TState>(Func<TState, CancellationToken, Task> callback, TState state, GrainTimerCreationOptions options) =>
        new GrainTimer(Activation, (s, ct) => callback((TState)s!, ct), state, options);

    /// <summary>Registers or updates a durable reminder; the grain must implement <see cref="IRemindable"/>.</summary>
    protected async Task<IGrainReminder> RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        if (this is not IRemindable)
        {
            throw new InvalidOperationException($"Grain {GetType().Name} must implement IRemindable to register reminders.");
        }

        return await Activation.Silo.ReminderService.RegisterOrUpdateAsync(GrainId, reminderName, dueTime, period);
    }

    /// <summary>Removes a durable reminder.</summary>
    protected Task UnregisterReminder(IGrainReminder reminder) => Activation.Silo.ReminderService.UnregisterAsync(GrainId, reminder.ReminderName);

    /// <summary>The reminder of this grain with the given name, or null.</summary>
    protected Task<IGrainReminder?> GetReminder(string reminderName) => Task.FromResult(Activation.Silo.ReminderService.Get(GrainId, reminderName));

    /// <summary>The silo's stream provider (one in-process provider; the name is kept for Orleans compatibility).</summary>
    protected IStreamProvider GetStreamProvider(string name = "default") => Activation.Silo.Streams;
}
