using System.Globalization;
using CityTwin.Silo.EventLog;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace CityTwin.Silo.Storage;

/// <summary>
/// The durable parts of a silo over one database: grain state and reminders (Orleans' ADO.NET providers on PostgreSQL
/// and SQLite, our memory provider and Orleans' in-memory reminders for memory), the event log, and a reader of stored
/// states. Opening applies the schema (silo/Sql) and migrates a pre-Orleans database; <see cref="ConfigureSilo"/> wires
/// the providers into an Orleans silo.
/// </summary>
public sealed class SiloStore : IAsyncDisposable
{
    /// <summary>The name grains give their storage: <c>[PersistentState("entity", SiloStore.StorageName)]</c>; also the default storage.</summary>
    public const string StorageName = "twin";

    /// <summary>The Orleans ServiceId every CityTwin silo runs with; stored rows are keyed by it.</summary>
    public const string ServiceId = "citytwin";

    /// <summary>Orleans' ADO.NET invariant for PostgreSQL.</summary>
    internal const string PostgresInvariant = "Npgsql";

    /// <summary>
    /// Orleans' ADO.NET invariant for SQLite. Orleans 10.4.2 knows SQLite as "System.Data.SQLite" and serves it with
    /// Microsoft.Data.Sqlite; "Microsoft.Data.Sqlite" is not a key it knows and fails the silo's start.
    /// </summary>
    internal const string SqliteInvariant = "System.Data.SQLite";

    // Thousands of grains activate at once when a district loads; without a cap each state read would take a connection
    // of its own and exhaust the server's max_connections. A "Maximum Pool Size" in the connection string still wins.
    private const int DefaultMaxPoolSize = 24;

    private readonly NpgsqlDataSource? _postgres;
    private readonly SqliteDataSource? _sqlite;
    private readonly MemoryGrainStorage? _memory;
    private int _disposed;

    private SiloStore(StoreKind kind, string description, string? connectionString, IEventLog eventLog, IStoredStateReader states,
        NpgsqlDataSource? postgres, SqliteDataSource? sqlite, MemoryGrainStorage? memory, StoreMigration? migration)
    {
        Kind = kind;
        Description = description;
        ConnectionString = connectionString;
        EventLog = eventLog;
        States = states;
        Migration = migration;
        _postgres = postgres;
        _sqlite = sqlite;
        _memory = memory;
    }

    /// <summary>The kind of store.</summary>
    public StoreKind Kind { get; }

    /// <summary>Where the store lives, for logs and status pages (never contains a password).</summary>
    public string Description { get; }

    /// <summary>
    /// The normalized connection string the providers use (SQLite: absolute file path, pooling; PostgreSQL: with the
    /// pool cap); null for memory. It may hold a password: never log it, log <see cref="Description"/>.
    /// </summary>
    public string? ConnectionString { get; }

    /// <summary>The durable input log.</summary>
    public IEventLog EventLog { get; }

    /// <summary>Lists stored grain states without activating grains (read-model rebuild, fork seeding).</summary>
    public IStoredStateReader States { get; }

    /// <summary>What opening copied from a pre-Orleans CityTwin database, or null when there was nothing to migrate.</summary>
    public StoreMigration? Migration { get; }

    /// <summary>
    /// Opens the store described by <paramref name="options"/>, creates its schema if missing and migrates the tables
    /// of a pre-Orleans build. A memory store is new and empty on every call. Failures name the store and its target,
    /// never the password.
    /// </summary>
    public static Task<SiloStore> OpenAsync(StoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            StoreKind.Memory => Task.FromResult(CreateMemory()),
            StoreKind.Sqlite => OpenSqliteAsync(options.ConnectionString, cancellationToken),
            StoreKind.Postgres => OpenPostgresAsync(options.ConnectionString, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown store kind."),
        };
    }

    /// <summary>
    /// A memory store over <paramref name="storage"/> (a fork's storage seeded with the live twin's states) or a new
    /// empty one, with a fresh memory event log. Silos configured with it share <paramref name="storage"/>, so a silo
    /// restarted on the same store finds its states.
    /// </summary>
    public static SiloStore CreateMemory(MemoryGrainStorage? storage = null)
    {
        storage ??= new MemoryGrainStorage();
        return new SiloStore(StoreKind.Memory, "memory (in-process, not durable)", null, new MemoryEventLog(), storage, null, null, storage, null);
    }

    /// <summary>
    /// Registers this store's grain storage with <paramref name="silo"/> under <see cref="StorageName"/> and as the
    /// default storage, and its reminder service: Orleans' ADO.NET providers with <see cref="TwinStateSerializer"/> on
    /// PostgreSQL and SQLite (state reads and writes group-committed by <see cref="BatchedGrainStorage"/> into the same
    /// rows), <see cref="MemoryGrainStorage"/> and Orleans' in-memory reminders for memory. The silo
    /// must run with ServiceId <see cref="ServiceId"/>. The store must outlive the silo.
    /// </summary>
    public void ConfigureSilo(ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        switch (Kind)
        {
            case StoreKind.Memory:
                MemoryGrainStorage memory = _memory!;
                silo.ConfigureServices(services =>
                {
                    services.AddKeyedSingleton<IGrainStorage>(StorageName, (sp, _) =>
                    {
                        memory.UseActivators(sp.GetRequiredService<IActivatorProvider>());
                        return memory;
                    });
                    AddDefaultStorage(services);
                });
                silo.UseInMemoryReminderService();
                break;

            case StoreKind.Sqlite:
                SqliteDataSource sqlite = _sqlite!;
                ConfigureAdoNet(silo, SqliteInvariant, sqlite, serviceId => new SqliteStateBatches(sqlite, serviceId));
                break;

            case StoreKind.Postgres:
                NpgsqlDataSource postgres = _postgres!;
                ConfigureAdoNet(silo, PostgresInvariant, postgres, serviceId => new PostgresStateBatches(postgres, serviceId));
                break;

            default:
                throw new InvalidOperationException($"Unknown store kind {Kind}.");
        }
    }

    /// <summary>
    /// Registers Orleans' ADO.NET clustering over this store's database with <paramref name="silo"/>: the silo forms or
    /// joins its cluster through the membership tables of silo/Sql/PostgreSQL/Clustering.sql.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store is not PostgreSQL: only a database every silo reaches can hold a cluster.</exception>
    public void ConfigureClustering(ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_postgres is null)
        {
            throw new InvalidOperationException($"A cluster needs the postgres store; this store is {Kind.ToString().ToLowerInvariant()}.");
        }

        NpgsqlDataSource dataSource = _postgres;
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = PostgresInvariant;
            options.DataSource = dataSource;
        });
    }

    /// <summary>
    /// Takes a lock that every process on this store's database shares (a PostgreSQL advisory lock on a connection of its
    /// own) and holds it until the answer is disposed: silos of a cluster that start at once join it and bring their
    /// twin up one after the other, so the first loads the district alone and the others restore it. On SQLite and
    /// memory nothing is shared, so nothing is locked.
    /// </summary>
    public async Task<IAsyncDisposable> LockStartupAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is null)
        {
            return new StartupLock(null);
        }

        NpgsqlConnection connection = await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using NpgsqlCommand take = new("SELECT pg_advisory_lock($1)", connection);
            take.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StartupLock.Id });
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new StartupLock(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Flushes the event log, then closes every connection. Stop the silos using the store first.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await EventLog.DisposeAsync().ConfigureAwait(false);
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
        }

        if (_sqlite is not null)
        {
            await _sqlite.DisposeAsync().ConfigureAwait(false);

            // Pooled connections hold the file open; releasing them lets it be moved or deleted.
            SqliteConnections.ReleasePool(_sqlite.ConnectionString);
        }
    }

    private static void ConfigureAdoNet(ISiloBuilder silo, string invariant, System.Data.Common.DbDataSource dataSource, Func<string, StateBatches> createBatches)
    {
        silo.AddAdoNetGrainStorage(StorageName, options =>
        {
            options.Invariant = invariant;
            options.DataSource = dataSource;
            options.GrainStorageSerializer = new TwinStateSerializer();
        });
        silo.ConfigureServices(services =>
        {
            // Replaces the provider AddAdoNetGrainStorage registered under the same name (the last keyed registration
            // is the one resolved) with the same provider behind TypeQualifiedGrainStorage, whose reads and writes are
            // batched (BatchedGrainStorage); Orleans' registration of it as a lifecycle participant resolves the
            // decorator, which forwards the provider's initialization and flushes the batches when the silo stops.
            services.AddKeyedSingleton<IGrainStorage>(StorageName, (sp, key) =>
            {
                string name = (string)key!;
                return new TypeQualifiedGrainStorage(AdoNetGrainStorageFactory.Create(sp, name), BatchedGrainStorage.Create(sp, name, createBatches));
            });
            AddDefaultStorage(services);
        });
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = invariant;
            options.DataSource = dataSource;
        });
    }

    // Grains that name no storage ([PersistentState("x")]) get the same provider instance.
    private static void AddDefaultStorage(IServiceCollection services)
    {
        services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => sp.GetRequiredKeyedService<IGrainStorage>(StorageName));
        services.TryAddSingleton<IGrainStorage>(sp => sp.GetRequiredKeyedService<IGrainStorage>(StorageName));
    }

    private static async Task<SiloStore> OpenSqliteAsync(string? pathOrConnectionString, CancellationToken cancellationToken)
    {
        string value = string.IsNullOrWhiteSpace(pathOrConnectionString) ? StoreOptions.DefaultSqlitePath : pathOrConnectionString.Trim();
        SqliteConnectionStringBuilder builder;
        try
        {
            // A value with '=' is a connection string ("Data Source=..."); anything else is a file path.
            builder = value.Contains('=', StringComparison.Ordinal) ? new SqliteConnectionStringBuilder(value) : new SqliteConnectionStringBuilder { DataSource = value };
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"The SQLite store's connection string is invalid: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            // Every connection to an in-memory SQLite database sees a different database, and the store uses several.
            throw new InvalidOperationException($"The SQLite store needs a file path, not '{builder.DataSource}'; use the memory store for a database that is not kept.");
        }

        string path = Path.GetFullPath(builder.DataSource);
        builder.DataSource = path;
        builder.Pooling = true;
        string connectionString = builder.ToString();
        string description = $"sqlite {path}";

        SqliteDataSource dataSource = new(connectionString);
        SqliteEventLog? eventLog = null;
        try
        {
            string? directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            StoreMigration? migration = SqliteStoreSchema.Apply(dataSource);
            eventLog = new SqliteEventLog(connectionString);
            await eventLog.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return new SiloStore(StoreKind.Sqlite, description, connectionString, eventLog, new SqliteStoredStateReader(dataSource), null, dataSource, null, migration);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException)
        {
            await DisposeFailedSqliteAsync(eventLog, dataSource).ConfigureAwait(false);
            throw new InvalidOperationException($"Could not open the SQLite store at '{path}': {ex.Message}", ex);
        }
        catch
        {
            await DisposeFailedSqliteAsync(eventLog, dataSource).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task DisposeFailedSqliteAsync(SqliteEventLog? eventLog, SqliteDataSource dataSource)
    {
        if (eventLog is not null)
        {
            await eventLog.DisposeAsync().ConfigureAwait(false);
        }

        await dataSource.DisposeAsync().ConfigureAwait(false);
        SqliteConnections.ReleasePool(dataSource.ConnectionString);
    }

    private static async Task<SiloStore> OpenPostgresAsync(string? connectionString, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("The PostgreSQL store needs an Npgsql connection string, e.g. 'Host=127.0.0.1;Port=5432;Username=citytwin;Database=citytwin'.");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            // The parser's message names the offending keyword; the connection string itself is not echoed
            // because it may hold a password.
            throw new InvalidOperationException($"The PostgreSQL store's connection string is invalid: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new InvalidOperationException("The PostgreSQL store's connection string names no Host.");
        }

        string database = builder.Database ?? builder.Username ?? "(default database)";
        string target = $"{builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{database}";
        string description = builder.Username is null ? $"postgres {target}" : $"postgres {target} as {builder.Username}";
        if (!connectionString.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase) && !connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        string normalized = builder.ConnectionString;
        NpgsqlDataSource dataSource = new NpgsqlDataSourceBuilder(normalized).Build();
        PostgresEventLog? eventLog = null;
        try
        {
            StoreMigration? migration = await PostgresStoreSchema.ApplyAsync(dataSource, cancellationToken).ConfigureAwait(false);
            eventLog = new PostgresEventLog(dataSource);
            await eventLog.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return new SiloStore(StoreKind.Postgres, description, normalized, eventLog, new PostgresStoredStateReader(dataSource), dataSource, null, null, migration);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            await DisposeFailedPostgresAsync(eventLog, dataSource).ConfigureAwait(false);
            throw new InvalidOperationException($"Could not open the PostgreSQL store at {target}: {ex.Message}", ex);
        }
        catch
        {
            await DisposeFailedPostgresAsync(eventLog, dataSource).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task DisposeFailedPostgresAsync(PostgresEventLog? eventLog, NpgsqlDataSource dataSource)
    {
        if (eventLog is not null)
        {
            await eventLog.DisposeAsync().ConfigureAwait(false);
        }

        await dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The lock of <see cref="LockStartupAsync"/>: a session-level advisory lock, released with its connection.</summary>
    private sealed class StartupLock(NpgsqlConnection? connection) : IAsyncDisposable
    {
        // Any fixed number works; it only has to be the same for every CityTwin process and differ from the schema lock.
        public const long Id = 0x43_69_74_79_55_70_00_01;

        public async ValueTask DisposeAsync()
        {
            if (connection is not null)
            {
                // Closing the session releases its advisory locks; the pool would keep the session, so the lock is released first.
                await using (NpgsqlCommand release = new("SELECT pg_advisory_unlock($1)", connection))
                {
                    release.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Id });
                    await release.ExecuteNonQueryAsync().ConfigureAwait(false);
                }

                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
