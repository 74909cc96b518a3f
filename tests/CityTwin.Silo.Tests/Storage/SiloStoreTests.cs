using System.Text;
using CityTwin.Silo.Storage;
using CityTwin.TestSupport;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>Opening stores: independence of memory stores, seeded memory stores, SQLite paths, and errors that say what failed without leaking secrets.</summary>
public sealed class SiloStoreTests
{
    [Fact]
    public async Task Every_memory_store_is_new_and_independent()
    {
        await using SiloStore first = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Memory });
        await using SiloStore second = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Memory });

        await using (TestSilo silo = await TestSilo.StartAsync(first))
        {
            await silo.Grains.GetGrain<ICounterGrain>("b1").AddAsync(1, "only in the first store");
        }

        await first.EventLog.AppendAsync(new(DateTimeOffset.UtcNow, "k", "b1", Encoding.UTF8.GetBytes("{}")));

        Assert.Single(await ListAsync(first.States, "counter"));
        Assert.Empty(await ListAsync(second.States, "counter"));
        Assert.Equal(0, await second.EventLog.CountAsync());
        Assert.Equal(StoreKind.Memory, second.Kind);
        Assert.Null(second.ConnectionString);
    }

    [Fact]
    public async Task A_memory_store_made_over_seeded_storage_serves_the_seeded_states()
    {
        MemoryGrainStorage seeded = new();
        seeded.Seed(new StoredState("counter", "f-1", "entity", Encoding.UTF8.GetBytes("""{"count":41}""")));
        await using SiloStore store = SiloStore.CreateMemory(seeded);
        await using TestSilo silo = await TestSilo.StartAsync(store);

        Assert.Equal(42, await silo.Grains.GetGrain<ICounterGrain>("f-1").AddAsync(1, "fork"));
        Assert.Equal(0, await store.EventLog.CountAsync());
    }

    [Fact]
    public async Task A_sqlite_store_creates_its_directory_and_accepts_a_path_or_a_connection_string()
    {
        using TempDirectory directory = new();
        string path = directory.Combine(Path.Combine("nested", "data", "twin.db"));

        await using (SiloStore byPath = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Sqlite, ConnectionString = path }))
        {
            Assert.Equal(StoreKind.Sqlite, byPath.Kind);
            Assert.Contains(path, byPath.Description, StringComparison.Ordinal);
            Assert.Contains(path, byPath.ConnectionString, StringComparison.Ordinal);
            await byPath.EventLog.AppendAsync(new(DateTimeOffset.UtcNow, "k", "b1", Encoding.UTF8.GetBytes("{}")));
        }

        Assert.True(File.Exists(path));
        await using SiloStore byConnectionString = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Sqlite, ConnectionString = $"Data Source={path}" });
        Assert.Equal(1, await byConnectionString.EventLog.CountAsync());
    }

    [Fact]
    public async Task A_sqlite_stores_provider_connections_use_wal_normal_sync_and_a_busy_timeout()
    {
        using TempDirectory directory = new();
        await using SiloStore store = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Sqlite, ConnectionString = directory.Combine("twin.db") });
        await using SqliteDataSource dataSource = new(store.ConnectionString!);
        await using var connection = (SqliteConnection)await dataSource.OpenConnectionAsync();

        Assert.Equal("wal", await PragmaAsync(connection, "journal_mode"));
        Assert.Equal("1", await PragmaAsync(connection, "synchronous"));
        Assert.Equal("10000", await PragmaAsync(connection, "busy_timeout"));
    }

    [Fact]
    public async Task A_sqlite_store_that_cannot_be_created_names_its_path()
    {
        using TempDirectory directory = new();
        string blocker = directory.Combine("not-a-directory");
        await File.WriteAllTextAsync(blocker, "a file where a directory is needed");
        string path = Path.Combine(blocker, "twin.db");

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Sqlite, ConnectionString = path }));

        Assert.Contains("SQLite", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_postgres_store_names_host_and_port_but_not_the_password()
    {
        // Port 1 on loopback refuses connections immediately.
        StoreOptions options = new() { Kind = StoreKind.Postgres, ConnectionString = "Host=127.0.0.1;Port=1;Username=twin;Password=s3cret-pw;Database=twin;Timeout=3" };

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloStore.OpenAsync(options));

        Assert.Contains("PostgreSQL", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_postgres_store_describes_its_target_without_the_password()
    {
        await using PostgresDatabase database = await PostgresDatabase.CreateAsync();
        NpgsqlConnectionStringBuilder builder = new(database.ConnectionString) { Password = "s3cret-pw" };

        await using SiloStore store = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Postgres, ConnectionString = builder.ConnectionString });

        Assert.Equal(StoreKind.Postgres, store.Kind);
        Assert.Contains($"{builder.Host}:{builder.Port}/{database.Name}", store.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", store.Description, StringComparison.Ordinal);

        // The providers' connection string keeps the pool cap that protects the server when a district loads.
        Assert.Equal(24, new NpgsqlConnectionStringBuilder(store.ConnectionString).MaxPoolSize);
    }

    [Fact]
    public async Task A_postgres_connection_string_that_does_not_parse_is_refused_without_echoing_it()
    {
        StoreOptions options = new() { Kind = StoreKind.Postgres, ConnectionString = "Host=127.0.0.1;Password=s3cret-pw;NoSuchKeyword=1" };

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloStore.OpenAsync(options));

        Assert.Contains("PostgreSQL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string?> PragmaAsync(SqliteConnection connection, string pragma)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<StoredState>> ListAsync(IStoredStateReader reader, string grainType)
    {
        List<StoredState> states = new();
        await foreach (StoredState state in reader.ReadAllAsync(grainType))
        {
            states.Add(state);
        }

        return states;
    }
}
