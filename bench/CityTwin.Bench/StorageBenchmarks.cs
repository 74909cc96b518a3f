using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using CityTwin.Silo;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Storage;
using Npgsql;
using Orleans.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Bench;

/// <summary>
/// Persistence throughput against SQLite and PostgreSQL, per write or append (OperationsPerInvoke), so throughput =
/// 1e9 / Median[ns]: grain-state writes through Orleans (10,000 activated grains on an <see cref="EmbeddedSilo"/> over the
/// store each write a ~200-byte state with <c>IPersistentState.WriteStateAsync</c>, at most 1,000 in flight, i.e. the
/// store's grain storage as the silo gets it: Orleans' ADO.NET rows, written by <c>BatchedGrainStorage</c>), and appends to the durable event log (ours, silo/EventLog): 10,000 concurrent single appends,
/// and ten concurrent batches of 1,000. PostgreSQL comes from CITYTWIN_BENCH_POSTGRES or CITYTWIN_TEST_POSTGRES; each run
/// creates and drops its own database.
/// </summary>
[MedianColumn]
public class StorageBenchmarks
{
    private const int Operations = 10_000;
    private const int StateWritesInFlight = 1_000;

    private readonly string _statePayload = new('s', 200);
    private readonly byte[] _eventPayload = Encoding.UTF8.GetBytes("{\"sensor\":\"gas-0001\",\"ppm\":12.5,\"battery\":0.93,\"pad\":\"" + new string('x', 142) + "\"}");
    private string[] _grainIds = [];
    private string[] _shuffledGrainIds = [];
    private IStorageBenchGrain[] _grains = [];
    private int _round;
    private SiloStore? _store;
    private EmbeddedSilo? _silo;
    private string? _tempDirectory;
    private string? _serverConnectionString;
    private string? _databaseName;

    /// <summary>The store under test.</summary>
    [Params(StoreKind.Sqlite, StoreKind.Postgres)]
    public StoreKind Kind { get; set; }

    /// <summary>Opens a fresh store of <see cref="Kind"/>.</summary>
    // Synchronous on purpose: BenchmarkDotNet's in-process toolchain does not await a Task-returning setup.
    [GlobalSetup(Targets = [nameof(BatchedEventAppends), nameof(EventAppendsInBatchesOf1000), nameof(EventAppendsInBatchesOf1000RandomKeys)])]
    public void Setup() => SetupAsync(withSilo: false).GetAwaiter().GetResult();

    /// <summary>Opens a fresh store of <see cref="Kind"/>, starts a silo over it and activates the 10,000 grains.</summary>
    [GlobalSetup(Target = nameof(StateWritesThroughOrleans))]
    public void SetupSilo() => SetupAsync(withSilo: true).GetAwaiter().GetResult();

    /// <summary>Stops the silo, closes the store and removes its database or file.</summary>
    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    /// <summary>
    /// 10,000 activated grains each write their ~200-byte state through Orleans (updates of existing rows), at most
    /// <see cref="StateWritesInFlight"/> at a time.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task StateWritesThroughOrleans() => WriteStatesAsync(++_round);

    private Task WriteStatesAsync(int round)
    {
        // Bounded, as when each write was its own statement and transaction on one of the store's pooled connections
        // (Orleans' provider alone: 10,000 at once waited in Npgsql's pool for longer than its 15 s timeout at ~1,000
        // writes/s); kept so that figures compare with those builds.
        int next = -1;
        IStorageBenchGrain[] grains = _grains;
        return Task.WhenAll(Enumerable.Range(0, StateWritesInFlight).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < grains.Length)
            {
                await grains[i].WriteAsync(round, _statePayload);
            }
        })));
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
            appends[i] = log.AppendAsync(new EventAppend(now, "telemetry", _grainIds[i], _eventPayload));
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

    private async Task SetupAsync(bool withSilo)
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
        _grainIds = Enumerable.Range(0, Operations).Select(i => $"sensor-{i:D6}").ToArray();
        _shuffledGrainIds = (string[])_grainIds.Clone();
        new Random(7).Shuffle(_shuffledGrainIds);
        if (!withSilo)
        {
            return;
        }

        string name = $"storage-bench-{Guid.NewGuid():N}"[..26];
        _silo = await EmbeddedSilo.StartAsync(_store, new SiloOptions { Name = name, ClusterId = name },
            silo => silo.Services.AddSerializer(serializer => serializer.AddAssembly(typeof(StorageBenchGrain).Assembly)));
        _grains = Enumerable.Range(0, Operations).Select(i => _silo.GrainFactory.GetGrain<IStorageBenchGrain>(i)).ToArray();

        // Activate (each reads its missing state) and write once, so measured rounds are updates of existing rows.
        await WriteStatesAsync(0);
    }

    private async Task CleanupAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)");
        }

        if (_tempDirectory is not null && Directory.Exists(_tempDirectory))
        {
            Directory.Delete(_tempDirectory, recursive: true);
        }
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using NpgsqlConnection connection = new(_serverConnectionString);
        await connection.OpenAsync();
        await using NpgsqlCommand command = new(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
