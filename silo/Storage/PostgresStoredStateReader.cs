using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Lists grain states from Orleans' OrleansStorage table in PostgreSQL: one index range scan of UX_OrleansStorage_Key
/// over the grain type's keys ("sensor/" up to "sensor0" in byte order), streamed row by row.
/// </summary>
internal sealed class PostgresStoredStateReader(NpgsqlDataSource dataSource) : IStoredStateReader
{
    // Only rows CityTwin's provider writes (string key "type/key", N0 = N1 = 0); cleared states have a NULL payload.
    private const string Sql = """
        SELECT GrainIdExtensionString, GrainTypeString, PayloadBinary
        FROM OrleansStorage
        WHERE ServiceId = $1
            AND GrainIdExtensionString COLLATE "C" >= $2 AND GrainIdExtensionString COLLATE "C" < $3
            AND GrainIdN0 = 0 AND GrainIdN1 = 0
            AND PayloadBinary IS NOT NULL
        """;

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredState> ReadAllAsync(string grainType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        OrleansStorageKeys.ValidateGrainType(grainType);
        string prefix = OrleansStorageKeys.LowerBound(grainType);
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand command = new(Sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SiloStore.ServiceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = OrleansStorageKeys.UpperBound(grainType) });

        // Npgsql reads rows off the socket as they are consumed, so a million states never sit in memory at once;
        // SequentialAccess keeps it from buffering a whole row before the payload is read.
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string qualifiedKey = reader.GetString(0);
            string stateName = reader.GetString(1);
            byte[] payload = await reader.GetFieldValueAsync<byte[]>(2, cancellationToken).ConfigureAwait(false);
            yield return new StoredState(grainType, qualifiedKey[prefix.Length..], stateName, payload);
        }
    }
}
