using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Lists grain states from Orleans' OrleansStorage table in SQLite: one range of UX_OrleansStorage_Key over the grain
/// type's keys ("sensor/" up to "sensor0", BINARY collation is byte order), stepped row by row.
/// </summary>
internal sealed class SqliteStoredStateReader(SqliteDataSource dataSource) : IStoredStateReader
{
    // Only rows CityTwin's provider writes (string key "type/key", N0 = N1 = 0); cleared states have a NULL payload.
    private const string Sql = """
        SELECT GrainIdExtensionString, GrainTypeString, PayloadBinary
        FROM OrleansStorage
        WHERE ServiceId = $service
            AND GrainIdExtensionString >= $from AND GrainIdExtensionString < $to
            AND GrainIdN0 = 0 AND GrainIdN1 = 0
            AND PayloadBinary IS NOT NULL
        """;

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredState> ReadAllAsync(string grainType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        OrleansStorageKeys.ValidateGrainType(grainType);
        string prefix = OrleansStorageKeys.LowerBound(grainType);
        await using var connection = (SqliteConnection)await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("$service", SiloStore.ServiceId);
        command.Parameters.AddWithValue("$from", prefix);
        command.Parameters.AddWithValue("$to", OrleansStorageKeys.UpperBound(grainType));

        // SQLite steps the statement as rows are consumed; WAL lets writers go on meanwhile.
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string qualifiedKey = reader.GetString(0);
            string stateName = reader.GetString(1);
            byte[] payload = (byte[])reader.GetValue(2);
            yield return new StoredState(grainType, qualifiedKey[prefix.Length..], stateName, payload);
        }
    }
}
