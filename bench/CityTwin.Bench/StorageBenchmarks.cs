using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Storage;
using Npgsql;

namespace CityTwin.Bench;

/// <summary>
/// Batched persistence throughput: 10,000 concurrent 200-byte grain-state writes, and 10,000 concurrent event-log
/// appends, per operation, against SQLite and PostgreSQL. Results are per write/append (OperationsPerInvoke),
/// so throughput = 1 / mean. PostgreSQL comes from CITYTWIN_BENCH_POSTGRES or CITYTWIN_TEST_POSTGRES; each run
/// creates and drops its own database.
/// </summary>
[MedianColumn]
public class StorageBenchmarks
{
    private const int Operations = 10_000;

    private readonly byte[] _statePayload = Encoding.UTF8.GetBytes(new string('s', 200));
    private readonly byte[] _eventPayload = Encoding.UTF8.GetBytes("{\"sensor\":\"gas-0001\",\"ppm\":12.5,\"battery\":0.93,\"pad\":\"" + new string('x', 142) + "\"}");
    private GrainStateKey[] _keys = [];
    private string[] _grainIds = [];
    private string[] _shuffledGrainIds = [];
    private long[] _versions = [];
    private SiloStore? _store;
    private string? _tempDirectory;
    private string? _serverConnectionString;
    private string? _databaseName;

    /// <summary>The store under test.</summary>
    [Params(StoreKind.Sqlite, StoreKind.Postgres)]
    public StoreKind Kind { get; set; }

    /// <summary>Opens a fresh store of <see cref="Kind"/>.</summary>
    // Synchronous on purpose: BenchmarkDotNet's in-process toolchain does not await a Task-returning setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>Closes the store and removes its database or file.</summary>
    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        string connectionString;
        if (Kind == StoreKind.Postgres)
        {
            _serverConnectionString = Environment.GetEnvironmentVariable("CITYTWIN_BENCH_POSTGRES") is { Length: > 0 } bench
                ? bench
                : Environment.GetEnvironmentVariable("CITYTWIN_TEST_POSTGRES") is { Length: > 0 } test
                    ? test
                    : throw new InvalidOperationException("Set CITYTWIN_BENCH_POSTGRES (or CITYTWIN_TEST_POSTGRES) to an Npgsql connection string.");
            _databaseName = "citytwin_bench_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
            await ExecuteOnServerAsync($"CREATE DATABASE \"{_databaseName}\"");
            connectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _databaseName }.ConnectionString;
        }
        else
        {
            _tempDirectory = Path.Combine(Path.GetTempPath(), "citytwin-bench-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture));
            connectionString = Path.Combine(_tempDirectory, "bench.db");
        }

        _store = await SiloStore.OpenAsync(new StoreOptions { Kind = Kind, ConnectionString = connectionString });
        _keys = Enumerable.Range(0, Operations).Select(i => new GrainStateKey("Sensor", $"sensor-{i:D6}", "state")).ToArray();
        _versions = new long[Operations];
        _grainIds = _keys.Select(key => key.GrainId).ToArray();
        _shuffledGrainIds = (string[])_grainIds.Clone();
        new Random(7).Shuffle(_shuffledGrainIds);
    }

    private async Task CleanupAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_databaseName is not null)
        {
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)");
        }

        if (_tempDirectory is not null && Directory.Exists(_tempDirectory))
        {
            Directory.Delete(_tempDirectory, recursive: true);
        }
    }

    /// <summary>10,000 grains each write their 200-byte state concurrently (updates after the first round).</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public async Task BatchedStateWrites()
    {
        IGrainStorage storage = _store!.Storage;
        Task<long>[] writes = new Task<long>[Operations];
        for (int i = 0; i < Operations; i++)
        {
            writes[i] = storage.WriteAsync(_keys[i], _statePayload, _versions[i]);
        }

        for (int i = 0; i < Operations; i++)
        {
            _versions[i] = await writes[i];
        }
    }

    /// <summary>10,000 concurrent single-event appends of a ~200-byte JSON reading.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public async Task BatchedEventAppends()
    {
        IEventLog log = _store!.EventLog;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Task[] appends = new Task[Operations];
        for (int i = 0; i < Operations; i++)
        {
            appends[i] = log.AppendAsync(new EventAppend(now, "telemetry", _keys[i].GrainId, _eventPayload));
        }

        await Task.WhenAll(appends);
    }

    /// <summary>The ingest path's shape: ten concurrent batches of 1,000 readings (one HTTP telemetry batch each), keys ascending.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task EventAppendsInBatchesOf1000() => AppendInBatchesOf1000(_grainIds);

    /// <summary>As <see cref="EventAppendsInBatchesOf1000"/> with keys in random order, as sensors report in a real batch.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task EventAppendsInBatchesOf1000RandomKeys() => AppendInBatchesOf1000(_shuffledGrainIds);

    private async Task AppendInBatchesOf1000(string[] grainIds)
    {
        IEventLog log = _store!.EventLog;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Task[] batches = new Task[Operations / 1000];
        for (int b = 0; b < batches.Length; b++)
        {
            var entries = new EventAppend[1000];
            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = new EventAppend(now, "telemetry", grainIds[(b * 1000) + i], _eventPayload);
            }

            batches[b] = log.AppendBatchAsync(entries);
        }

        await Task.WhenAll(batches);
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using NpgsqlConnection connection = new(_serverConnectionString);
        await connection.OpenAsync();
        await using NpgsqlCommand command = new(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
