using Orleans.Runtime;
using Orleans.Storage;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Puts the grain type into the row key of Orleans' ADO.NET grain storage. Orleans 10.4.2 passes that provider the state
/// name and keys the row by the grain key alone, so a sensor and a building with the same key and state name would share
/// one row (dotnet/orleans#8746, dotnet/orleans#9737), and a key that parses as hexadecimal ("abc", "0123") is stored as an integer
/// (dotnet/orleans#9706). This decorator keys every row by the whole grain id ("sensor/abc") as a string key: reads and writes go
/// through <see cref="BatchedGrainStorage"/>, which writes the rows Orleans' provider would, group-committed; clears go to
/// the provider itself with a grain id whose key is the whole id, which always takes its string-key path. It forwards the
/// provider's lifecycle participation (its initialization).
/// </summary>
internal sealed class TypeQualifiedGrainStorage(IGrainStorage inner, BatchedGrainStorage batched) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The batched reads and writes (their statistics).</summary>
    public BatchedGrainStorage Batched => batched;

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        batched.ReadStateAsync(stateName, QualifiedKey(grainId), grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        batched.ReadStateAsync(stateName, QualifiedKey(grainId), grainState, cancellationToken);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        batched.WriteStateAsync(stateName, QualifiedKey(grainId), grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        batched.WriteStateAsync(stateName, QualifiedKey(grainId), grainState, cancellationToken);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, Qualify(grainId), grainState);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ClearStateAsync(stateName, Qualify(grainId), grainState, cancellationToken);

    /// <inheritdoc />
    public void Participate(ISiloLifecycle observer)
    {
        if (inner is ILifecycleParticipant<ISiloLifecycle> participant)
        {
            participant.Participate(observer);
        }

        batched.Participate(observer);
    }

    /// <summary>The grain id the provider sees: same type, key "type/key" (Orleans' grain id string).</summary>
    public static GrainId Qualify(GrainId grainId) => GrainId.Create(grainId.Type, IdSpan.Create(QualifiedKey(grainId)));

    private static string QualifiedKey(GrainId grainId) => OrleansStorageKeys.QualifiedKey(grainId.Type.ToString()!, grainId.Key.ToString()!);
}
