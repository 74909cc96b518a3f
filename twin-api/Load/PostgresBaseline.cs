using System.Diagnostics;
using CityTwin.TwinApi.Ingest;
using Npgsql;
using NpgsqlTypes;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// The plain-database approach a team would otherwise build, done as well as it allows: per batch of readings, one
/// transaction that upserts the last value of each sensor (one multi-row INSERT … SELECT FROM unnest … ON CONFLICT DO
/// UPDATE) and appends every reading to a history table (binary COPY), committed before the batch is acknowledged —
/// the same durability as the twin's event log. Batches run concurrently on pooled connections, as many as the driver.
/// </summary>
public sealed class PostgresBaseline(string connectionString)
{
    private const string SchemaSql = """
        -- The plain approach's schema. Design choices, made to give it its best showing:
        --  * load_baseline_sensors holds the last value per sensor (what the twin's sensor grains hold), keyed by id;
        --    it is filled with every sensor first, so the hot path is an UPDATE, as in a deployed system.
        --  * load_baseline_readings is the history with the indexes the twin's event log keeps (BRIN on at, B-tree on
        --    (sensor_id, at)), bytewise key order (COLLATE "C") and no identity key, so both sides pay the same index cost
        --    per reading; each batch is written in key order, as the event log writes it.
        --  * fillfactor 70 on the sensors table leaves room for HOT updates (no index churn on the upsert).
        DROP TABLE IF EXISTS load_baseline_readings;
        DROP TABLE IF EXISTS load_baseline_sensors;
        CREATE TABLE load_baseline_sensors (
            id         text COLLATE "C" PRIMARY KEY,
            value      double precision,
            unit       text,
            at         timestamptz,
            updated_at timestamptz
        ) WITH (fillfactor = 70);
        CREATE TABLE load_baseline_readings (
            sensor_id text COLLATE "C" NOT NULL,
            at        timestamptz      NOT NULL,
            value     double precision NOT NULL,
            unit      text
        );
        CREATE INDEX load_baseline_readings_at_brin ON load_baseline_readings USING brin (at) WITH (autosummarize = on);
        CREATE INDEX load_baseline_readings_sensor_at ON load_baseline_readings (sensor_id, at);
        """;

    private const string UpsertSql = """
        INSERT INTO load_baseline_sensors (id, value, unit, at, updated_at)
        SELECT id, value, unit, at, now() FROM unnest($1::text[], $2::double precision[], $3::text[], $4::timestamptz[]) AS r(id, value, unit, at)
        ON CONFLICT (id) DO UPDATE SET value = excluded.value, unit = excluded.unit, at = excluded.at, updated_at = excluded.updated_at
        WHERE load_baseline_sensors.at IS NULL OR load_baseline_sensors.at <= excluded.at
        """;

    // One reading, one round trip, one commit: the per-update store (an Orion or Ditto update lands as one write).
    private const string UpsertOneSql = """
        INSERT INTO load_baseline_sensors (id, value, unit, at, updated_at) VALUES ($1, $2, $3, $4, now())
        ON CONFLICT (id) DO UPDATE SET value = excluded.value, unit = excluded.unit, at = excluded.at, updated_at = excluded.updated_at
        WHERE load_baseline_sensors.at IS NULL OR load_baseline_sensors.at <= excluded.at
        """;

    private const string InsertOneSql = "INSERT INTO load_baseline_readings (sensor_id, at, value, unit) VALUES ($1, $2, $3, $4)";

    private const string CopySql = "COPY load_baseline_readings (sensor_id, at, value, unit) FROM STDIN (FORMAT BINARY)";

    /// <summary>
    /// Creates the tables (dropping earlier ones), registers every sensor, then drives batches from
    /// <paramref name="generator"/> as fast as commits allow for <paramref name="duration"/>. With
    /// <paramref name="perReading"/> every reading is its own committed transaction (upsert and append in one round trip),
    /// and the latency figures are per reading.
    /// </summary>
    public async Task<BaselineFigures> RunAsync(TelemetryGenerator generator, int batchSize, int concurrency, TimeSpan duration,
        Action<long>? progress, CancellationToken cancellationToken, bool perReading = false)
    {
        NpgsqlConnectionStringBuilder builder = new(connectionString) { MaxPoolSize = Math.Max(concurrency + 2, 10) };
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await PrepareAsync(dataSource, generator.SensorIds, cancellationToken);

        var latency = new LatencyRecorder();
        long readings = 0, batches = 0;
        var nextLock = new Lock();
        long started = Stopwatch.GetTimestamp();
        async Task WorkerAsync()
        {
            await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
            while (Stopwatch.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
            {
                List<ReadingInput> batch;
                lock (nextLock)
                {
                    batch = generator.NextBatch(batchSize);
                }

                if (perReading)
                {
                    foreach (ReadingInput reading in batch)
                    {
                        long one = Stopwatch.GetTimestamp();
                        await WriteOneAsync(connection, reading, cancellationToken);
                        latency.RecordSince(one);
                        progress?.Invoke(Interlocked.Increment(ref readings));
                    }

                    Interlocked.Increment(ref batches);
                    continue;
                }

                long start = Stopwatch.GetTimestamp();
                await WriteBatchAsync(connection, batch, cancellationToken);
                latency.RecordSince(start);
                Interlocked.Increment(ref batches);
                long total = Interlocked.Add(ref readings, batch.Count);
                progress?.Invoke(total);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync, cancellationToken)));
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        long logged = await CountAsync(dataSource, cancellationToken);
        if (logged != readings)
        {
            throw new InvalidOperationException($"The baseline committed {readings} readings but its table holds {logged}.");
        }

        string how = perReading
            ? $"PostgreSQL upsert (ON CONFLICT) + insert per reading, one committed transaction (one round trip) per reading, {concurrency} connections"
            : $"PostgreSQL upsert (unnest, ON CONFLICT) + binary COPY, one transaction per {batchSize}-reading batch, {concurrency} connections";
        return new BaselineFigures(true, how,
            Math.Round(elapsed.TotalSeconds, 3), batches, readings, Math.Round(readings / elapsed.TotalSeconds, 1), latency.Summarize(), null);
    }

    /// <summary>Writes one batch: upsert the last values and append the readings in one committed transaction.</summary>
    public static async Task WriteBatchAsync(NpgsqlConnection connection, List<ReadingInput> batch, CancellationToken cancellationToken)
    {
        // ON CONFLICT cannot touch one row twice in a statement, so keep the newest reading per sensor; sorting the keys
        // makes concurrent transactions lock rows in the same order (no deadlocks).
        var last = new Dictionary<string, ReadingInput>(batch.Count, StringComparer.Ordinal);
        foreach (ReadingInput r in batch)
        {
            if (!last.TryGetValue(r.SensorId, out ReadingInput? seen) || seen.At <= r.At)
            {
                last[r.SensorId] = r;
            }
        }

        ReadingInput[] rows = last.Values.ToArray();
        Array.Sort(rows, (a, b) => string.CompareOrdinal(a.SensorId, b.SensorId));
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var upsert = new NpgsqlCommand(UpsertSql, connection, transaction))
        {
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.SensorId).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = rows.Select(r => r.Value).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = rows.Select(r => r.Unit).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = rows.Select(r => r.At.UtcDateTime).ToArray() });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync(CopySql, cancellationToken))
        {
            foreach (ReadingInput r in batch.OrderBy(r => r.SensorId, StringComparer.Ordinal))
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(r.SensorId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.At.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(r.Value, NpgsqlDbType.Double, cancellationToken);
                if (r.Unit is null)
                {
                    await copy.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await copy.WriteAsync(r.Unit, NpgsqlDbType.Text, cancellationToken);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Writes one reading as its own committed transaction: the last-value upsert and the history row, one round trip.</summary>
    public static async Task WriteOneAsync(NpgsqlConnection connection, ReadingInput reading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reading);
        // A batch of two statements without an explicit transaction runs as one implicit transaction, committed at its end.
        await using var batch = new NpgsqlBatch(connection);
        var upsert = new NpgsqlBatchCommand(UpsertOneSql);
        upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reading.SensorId });
        upsert.Parameters.Add(new NpgsqlParameter<double> { TypedValue = reading.Value });
        upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)reading.Unit ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        upsert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = reading.At.UtcDateTime });
        var insert = new NpgsqlBatchCommand(InsertOneSql);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reading.SensorId });
        insert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = reading.At.UtcDateTime });
        insert.Parameters.Add(new NpgsqlParameter<double> { TypedValue = reading.Value });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)reading.Unit ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        batch.BatchCommands.Add(upsert);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task PrepareAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> sensorIds, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var schema = new NpgsqlCommand(SchemaSql, connection))
        {
            await schema.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync("COPY load_baseline_sensors (id) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (string id in sensorIds)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(id, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var analyze = new NpgsqlCommand("ANALYZE load_baseline_sensors", connection);
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand count = dataSource.CreateCommand("SELECT count(*) FROM load_baseline_readings");
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}
