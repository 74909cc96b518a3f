using System.Text;
using CityTwin.Silo.Storage;
using CityTwin.TestSupport;
using Npgsql;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>Opening stores: independence of memory stores, SQLite paths, and errors that say what failed without leaking secrets.</summary>
public sealed class SiloStoreTests
{
    [Fact]
    public async Task Every_memory_store_is_new_and_independent()
    {
        GrainStateKey key = new("Building", "b1", "state");
        await using SiloStore first = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Memory });
        await using SiloStore second = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Memory });

        await first.Storage.WriteAsync(key, Encoding.UTF8.GetBytes("x"), 0);
        await first.EventLog.AppendAsync(new(DateTimeOffset.UtcNow, "k", "b1", Encoding.UTF8.GetBytes("{}")));

        Assert.Null(await second.Storage.ReadAsync(key));
        Assert.Equal(0, await second.EventLog.CountAsync());
        Assert.Equal(StoreKind.Memory, second.Kind);
    }

    [Fact]
    public async Task A_sqlite_store_creates_its_directory_and_accepts_a_path_or_a_connection_string()
    {
        using TempDirectory directory = new();
        string path = directory.Combine(Path.Combine("nested", "data", "twin.db"));
        GrainStateKey key = new("Building", "b1", "state");

        await using (SiloStore byPath = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Sqlite, ConnectionString = path }))
        {
            Assert.Equal(StoreKind.Sqlite, byPath.Kind);
            Assert.Contains(path, byPath.Description, StringComparison.Ordinal);
            await byPath.Storage.WriteAsync(key, Encoding.UTF8.GetBytes("x"), 0);
        }

        Assert.True(File.Exists(path));
        await using SiloStore byConnectionString = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Sqlite, ConnectionString = $"Data Source={path}" });
        Assert.Equal(1, (await byConnectionString.Storage.ReadAsync(key))?.Version);
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
    }
}
