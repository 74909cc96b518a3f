using System.Data.Common;
using CityTwin.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>
/// Grain-state reads and writes group-committed by <see cref="BatchedGrainStorage"/> on a real SQLite file and a real
/// PostgreSQL database: they round-trip from an empty database, a stale version fails only its own write in a batch,
/// they read and write the very rows Orleans' own ADO.NET provider does, and many concurrent calls share few statements.
/// </summary>
public sealed class BatchedGrainStorageTests
{
    private const string StateName = "entity";

    [Theory]
    [MemberData(nameof(StoreTarget.DurableKinds), MemberType = typeof(StoreTarget))]
    public async Task States_written_concurrently_from_an_empty_database_are_read_back_by_a_new_silo(StoreKind kind)
    {
        const int Grains = 300;
        await using StoreTarget target = await StoreTarget.CreateAsync(kind);
        await using (SiloStore store = await target.OpenAsync())
        await using (TestSilo silo = await TestSilo.StartAsync(store))
        {
            // A state never written reads as new, with no ETag, as from Orleans' provider.
            GrainState<CounterState> missing = new(new CounterState { Count = 42 }, "7");
            await TwinStorage(silo).ReadStateAsync(StateName, GrainId.Create("counter", "never"), missing);
            Assert.Equal(0, missing.State!.Count);
            Assert.Null(missing.ETag);
            Assert.False(missing.RecordExists);

            await Task.WhenAll(Enumerable.Range(0, Grains).Select(i => silo.Grains.GetGrain<ICounterGrain>($"c-{i}").AddAsync(i, $"note {i}")));
            Assert.Equal(10, await silo.Grains.GetGrain<ICounterGrain>("c-3").AddAsync(7, "again"));
        }

        await using (SiloStore store = await target.OpenAsync())
        await using (TestSilo silo = await TestSilo.StartAsync(store))
        {
            CounterState[] states = await Task.WhenAll(Enumerable.Range(0, Grains).Select(i => silo.Grains.GetGrain<ICounterGrain>($"c-{i}").GetAsync()));
            for (int i = 0; i < Grains; i++)
            {
                List<string> notes = i == 3 ? ["note 3", "again"] : [$"note {i}"];
                Assert.Equal(i == 3 ? 10 : i, states[i].Count);
                Assert.Equal(notes, states[i].Notes);
            }

            GrainState<CounterState> read = new(new CounterState());
            await TwinStorage(silo).ReadStateAsync(StateName, GrainId.Create("counter", "c-3"), read);
            Assert.Equal(("2", true), (read.ETag, read.RecordExists));
        }

        Assert.Equal(Grains, await target.CountAsync("SELECT count(*) FROM OrleansStorage"));
    }

    [Theory]
    [MemberData(nameof(StoreTarget.DurableKinds), MemberType = typeof(StoreTarget))]
    public async Task A_stale_version_fails_only_that_write_in_its_batch(StoreKind kind)
    {
        await using StoreTarget target = await StoreTarget.CreateAsync(kind);
        await using SiloStore store = await target.OpenAsync();
        await using TestSilo silo = await TestSilo.StartAsync(store);
        TypeQualifiedGrainStorage storage = TwinStorage(silo);
        foreach (string key in new[] { "a", "b", "c" })
        {
            GrainState<CounterState> state = new(new CounterState { Count = 1 });
            await storage.WriteStateAsync(StateName, GrainId.Create("counter", key), state);
            Assert.Equal("1", state.ETag);
        }

        // One batch, committed as the writer loop commits it: a current write, a stale one, a blind insert over an
        // existing row, and a first write of a new row.
        StateBatches batches = storage.Batched.Batches;
        List<StateBatches.PendingWrite> batch =
        [
            Write("a", count: 2, expectedVersion: 1),
            Write("b", count: 99, expectedVersion: 5),
            Write("c", count: 98, expectedVersion: null),
            Write("d", count: 4, expectedVersion: null),
        ];
        long statements = batches.Statistics.Batches;
        await batches.CommitWritesAsync(batch);

        Assert.Equal(statements + 1, batches.Statistics.Batches);
        int?[] versions = [2, null, null, 1];
        Assert.Equal(versions, await Task.WhenAll(batch.Select(w => w.Completion.Task)));
        Assert.Equal((2, "2"), await ReadAsync(storage, "a"));
        Assert.Equal((1, "1"), await ReadAsync(storage, "b"));
        Assert.Equal((1, "1"), await ReadAsync(storage, "c"));
        Assert.Equal((4, "1"), await ReadAsync(storage, "d"));

        // Through the storage's own interface the stale write is Orleans' InconsistentStateException, and the ETag stays.
        GrainState<CounterState> stale = new(new CounterState { Count = 97 }, "5");
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, GrainId.Create("counter", "b"), stale));
        Assert.Equal("5", stale.ETag);
        Assert.Equal((1, "1"), await ReadAsync(storage, "b"));
    }

    [Theory]
    [MemberData(nameof(StoreTarget.DurableKinds), MemberType = typeof(StoreTarget))]
    public async Task Rows_written_by_Orleans_own_provider_and_by_the_batched_path_are_one_and_the_same(StoreKind kind)
    {
        await using StoreTarget target = await StoreTarget.CreateAsync(kind);
        await using SiloStore store = await target.OpenAsync();
        await using DbDataSource dataSource = kind == StoreKind.Postgres ? NpgsqlDataSource.Create(store.ConnectionString!) : new SqliteDataSource(store.ConnectionString!);

        // Orleans' provider as Orleans ships it, on the same table, beside the store's batched one.
        await using TestSilo silo = await TestSilo.StartAsync(store, s => s.AddAdoNetGrainStorage("orleans", options =>
        {
            options.Invariant = kind == StoreKind.Postgres ? SiloStore.PostgresInvariant : SiloStore.SqliteInvariant;
            options.DataSource = dataSource;
            options.GrainStorageSerializer = new TwinStateSerializer();
        }));
        IGrainStorage orleans = silo.Services.GetRequiredKeyedService<IGrainStorage>("orleans");
        TypeQualifiedGrainStorage batched = TwinStorage(silo);
        GrainId first = GrainId.Create("counter", "abc");
        GrainId second = GrainId.Create("counter", "0123");

        // Orleans writes (given the qualified id the store keys rows by), the batched path reads and writes on.
        GrainState<CounterState> byOrleans = new(new CounterState { Count = 3, Notes = ["orleans"] });
        await orleans.WriteStateAsync(StateName, TypeQualifiedGrainStorage.Qualify(first), byOrleans);
        GrainState<CounterState> read = new(new CounterState());
        await batched.ReadStateAsync(StateName, first, read);
        Assert.Equal((3, "1", true), (read.State!.Count, read.ETag, read.RecordExists));
        Assert.Equal(["orleans"], read.State.Notes);
        read.State.Count = 4;
        await batched.WriteStateAsync(StateName, first, read);
        Assert.Equal("2", read.ETag);

        GrainState<CounterState> reread = new(new CounterState());
        await orleans.ReadStateAsync(StateName, TypeQualifiedGrainStorage.Qualify(first), reread);
        Assert.Equal((4, "2", true), (reread.State!.Count, reread.ETag, reread.RecordExists));

        // Each refuses the other's stale version.
        await Assert.ThrowsAsync<InconsistentStateException>(() => orleans.WriteStateAsync(StateName, TypeQualifiedGrainStorage.Qualify(first), byOrleans));
        await Assert.ThrowsAsync<InconsistentStateException>(() => batched.WriteStateAsync(StateName, first, byOrleans));

        // A row the batched path inserts is found by Orleans' own query (its hashes are Orleans'), and the other way round.
        GrainState<CounterState> byBatch = new(new CounterState { Count = 5 });
        await batched.WriteStateAsync(StateName, second, byBatch);
        GrainState<CounterState> seen = new(new CounterState());
        await orleans.ReadStateAsync(StateName, TypeQualifiedGrainStorage.Qualify(second), seen);
        Assert.Equal((5, "1", true), (seen.State!.Count, seen.ETag, seen.RecordExists));
        await Assert.ThrowsAsync<InconsistentStateException>(() => orleans.WriteStateAsync(StateName, TypeQualifiedGrainStorage.Qualify(second), new GrainState<CounterState>(new CounterState())));
        seen.State.Count = 6;
        await orleans.WriteStateAsync(StateName, TypeQualifiedGrainStorage.Qualify(second), seen);
        Assert.Equal((6, "2"), await ReadAsync(batched, "0123"));

        // A state cleared by Orleans reads as cleared, keeping its version as the ETag, and the next write goes on from it.
        await batched.ClearStateAsync(StateName, second, seen);
        GrainState<CounterState> cleared = new(new CounterState { Count = 77 });
        await batched.ReadStateAsync(StateName, second, cleared);
        Assert.Equal((0, "3", false), (cleared.State!.Count, cleared.ETag, cleared.RecordExists));
        cleared.State.Count = 8;
        await batched.WriteStateAsync(StateName, second, cleared);
        Assert.Equal((8, "4"), await ReadAsync(batched, "0123"));

        Assert.Equal(2, await target.CountAsync("SELECT count(*) FROM OrleansStorage"));
        Assert.Equal(0, await target.CountAsync("SELECT count(*) FROM OrleansStorage WHERE GrainIdN0 <> 0 OR GrainIdN1 <> 0"));
    }

    [Theory]
    [MemberData(nameof(StoreTarget.DurableKinds), MemberType = typeof(StoreTarget))]
    public async Task Concurrent_writes_of_many_grains_land_in_a_few_statements(StoreKind kind)
    {
        const int Writes = 1_000;
        await using StoreTarget target = await StoreTarget.CreateAsync(kind);
        await using SiloStore store = await target.OpenAsync();
        await using TestSilo silo = await TestSilo.StartAsync(store);
        TypeQualifiedGrainStorage storage = TwinStorage(silo);
        StorageStatistics statistics = storage.Batched.Batches.Statistics;
        GrainId[] ids = Enumerable.Range(0, Writes).Select(i => GrainId.Create("counter", $"many-{i}")).ToArray();
        GrainState<CounterState>[] states = ids.Select((_, i) => new GrainState<CounterState>(new CounterState { Count = i })).ToArray();

        // The table is locked while every write is asked for (each call has queued its write when it returns), so no
        // batch can commit before all are queued: the count of statements does not depend on timing. One write names
        // a version no row has, and fails alone.
        long statementsBefore = statistics.Batches;
        Task[] writes;
        GrainState<CounterState> stale = new(new CounterState { Count = -1 }, "7");
        Task staleWrite;
        await using (await TableLock.TakeAsync(target))
        {
            writes = ids.Select((id, i) => storage.WriteStateAsync(StateName, id, states[i])).ToArray();
            staleWrite = storage.WriteStateAsync(StateName, GrainId.Create("counter", "many-none"), stale);
        }

        await Task.WhenAll(writes);
        await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        Assert.All(states, s => Assert.Equal(("1", true), (s.ETag, s.RecordExists)));

        // At most one statement per writer loop that started before the lock was seen, and one per full batch after.
        long statements = statistics.Batches - statementsBefore;
        Assert.InRange(statements, 1, 4);
        Assert.Equal(Writes, await target.CountAsync("SELECT count(*) FROM OrleansStorage"));

        // Reads queue the same way; PostgreSQL's lock holds reads too (SQLite's WAL never blocks a reader).
        long readBatchesBefore = statistics.ReadBatches;
        Task<CounterState>[] reads;
        await using (await TableLock.TakeAsync(target))
        {
            reads = ids.Select(async id =>
            {
                GrainState<CounterState> state = new(new CounterState());
                await storage.ReadStateAsync(StateName, id, state);
                return state.State!;
            }).ToArray();
        }

        CounterState[] read = await Task.WhenAll(reads);
        Assert.Equal(Enumerable.Range(0, Writes), read.Select(s => s.Count));
        Assert.InRange(statistics.ReadBatches - readBatchesBefore, 1, kind == StoreKind.Postgres ? 4 : Writes);
    }

    private static TypeQualifiedGrainStorage TwinStorage(TestSilo silo) =>
        Assert.IsType<TypeQualifiedGrainStorage>(silo.Services.GetRequiredKeyedService<IGrainStorage>(SiloStore.StorageName));

    private static StateBatches.PendingWrite Write(string key, int count, int? expectedVersion)
    {
        byte[] payload = new TwinStateSerializer().Serialize(new CounterState { Count = count }).ToArray();
        return new StateBatches.PendingWrite(StateRowKey.Create(StateName, OrleansStorageKeys.QualifiedKey("counter", key)), payload, expectedVersion);
    }

    private static async Task<(int Count, string? ETag)> ReadAsync(IGrainStorage storage, string key)
    {
        GrainState<CounterState> state = new(new CounterState());
        await storage.ReadStateAsync(StateName, GrainId.Create("counter", key), state);
        return (state.State!.Count, state.ETag);
    }

    /// <summary>
    /// Holds OrleansStorage against the store's writers until disposed: on PostgreSQL an ACCESS EXCLUSIVE table lock
    /// (readers wait too), on SQLite the file's write lock (BEGIN IMMEDIATE; the store waits within its busy timeout).
    /// </summary>
    private sealed class TableLock : IAsyncDisposable
    {
        private readonly DbConnection _connection;
        private readonly DbTransaction _transaction;

        private TableLock(DbConnection connection, DbTransaction transaction)
        {
            _connection = connection;
            _transaction = transaction;
        }

        public static async Task<TableLock> TakeAsync(StoreTarget target)
        {
            if (target.Kind == StoreKind.Sqlite)
            {
                SqliteConnection sqlite = new(new SqliteConnectionStringBuilder { DataSource = target.ConnectionString, Pooling = false }.ToString());
                sqlite.Open();
                return new TableLock(sqlite, sqlite.BeginTransaction(deferred: false));
            }

            NpgsqlConnection postgres = new(target.ConnectionString);
            await postgres.OpenAsync();
            NpgsqlTransaction transaction = await postgres.BeginTransactionAsync();
            await using (NpgsqlCommand command = new("LOCK TABLE OrleansStorage IN ACCESS EXCLUSIVE MODE", postgres, transaction))
            {
                await command.ExecuteNonQueryAsync();
            }

            return new TableLock(postgres, transaction);
        }

        public async ValueTask DisposeAsync()
        {
            await _transaction.RollbackAsync();
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
