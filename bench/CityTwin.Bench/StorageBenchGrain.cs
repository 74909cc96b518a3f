using CityTwin.Silo.Storage;

namespace CityTwin.Bench;

/// <summary>The grain of the state-write benchmark: writes a ~200-byte state through Orleans' persistent state.</summary>
public interface IStorageBenchGrain : IGrainWithIntegerKey
{
    /// <summary>Sets the state's round and payload and writes it to the store's grain storage.</summary>
    Task WriteAsync(int round, string payload);
}

/// <summary>The state of <see cref="StorageBenchGrain"/>: a round number and a ~200-character payload.</summary>
[GenerateSerializer]
public sealed class StorageBenchState
{
    /// <summary>The round that wrote the state last.</summary>
    [Id(0)]
    public int Round { get; set; }

    /// <summary>The payload.</summary>
    [Id(1)]
    public string Payload { get; set; } = "";
}

/// <summary>
/// Writes its state through Orleans' <see cref="IPersistentState{TState}"/> on the store's grain storage
/// (<see cref="SiloStore.StorageName"/>: Orleans' ADO.NET rows with the twin's JSON serializer on PostgreSQL or SQLite,
/// group-committed),
/// as the twin's grains do.
/// </summary>
[GrainType("storage-bench")]
public sealed class StorageBenchGrain([PersistentState("state", SiloStore.StorageName)] IPersistentState<StorageBenchState> state) : Grain, IStorageBenchGrain
{
    /// <inheritdoc />
    public Task WriteAsync(int round, string payload)
    {
        state.State.Round = round;
        state.State.Payload = payload;
        return state.WriteStateAsync();
    }
}
