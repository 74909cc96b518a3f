using CityTwin.Silo.Storage;
using Orleans.Runtime;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>The test grain of storage and reminder tests: grain type "counter", state "entity" in <see cref="SiloStore.StorageName"/>.</summary>
[GrainType("counter")]
public sealed class CounterGrain(
    [PersistentState("entity", SiloStore.StorageName)] IPersistentState<CounterState> state, ReminderLog reminders) : Grain, ICounterGrain, IRemindable
{
    /// <inheritdoc />
    public async Task<int> AddAsync(int amount, string note)
    {
        state.State.Count += amount;
        state.State.Notes.Add(note);
        await state.WriteStateAsync();
        return state.State.Count;
    }

    /// <inheritdoc />
    public Task<CounterState> GetAsync() => Task.FromResult(state.State);

    /// <inheritdoc />
    public Task ClearAsync() => state.ClearStateAsync();

    /// <inheritdoc />
    public Task RemindAsync(string name, TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder(name, dueTime, period);

    /// <inheritdoc />
    public async Task ForgetAsync(string name)
    {
        if (await this.GetReminder(name) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        reminders.Record(this.GetPrimaryKeyString(), reminderName, this.GetGrainTimeProvider().GetUtcNow());
        return Task.CompletedTask;
    }
}
