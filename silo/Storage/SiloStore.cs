using System.Globalization;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Reminders;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CityTwin.Silo.Storage;

/// <summary>
/// The three durable parts of a silo (grain storage, event log, reminders) opened together over one
/// database, so a silo, fork or test has a single thing to open and dispose.
/// </summary>
public sealed class SiloStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _dataSource;
    private int _disposed;

    private SiloStore(StoreKind kind, string description, IGrainStorage storage, IEventLog eventLog, IReminderTable reminders, NpgsqlDataSource? dataSource)
    {
        Kind = kind;
        Description = description;
        Storage = storage;
        EventLog = eventLog;
        Reminders = reminders;
        _dataSource = dataSource;
    }

    /// <summary>The kind of store.</summary>
    public StoreKind Kind { get; }

    /// <summary>Where the store lives, for logs and status pages (never contains a password).</summary>
    public string Description { get; }

    /// <summary>Grain state storage.</summary>
    public IGrainStorage Storage { get; }

    /// <summary>The durable input log.</summary>
    public IEventLog EventLog { get; }

    /// <summary>The reminder table.</summary>
    public IReminderTable Reminders { get; }

    /// <summary>
    /// Opens the store described by <paramref name="options"/> and creates its schema if missing. A memory
    /// store is new and empty on every call. Failures name the store and its target, never the password.
    /// </summary>
    public static Task<SiloStore> OpenAsync(StoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            StoreKind.Memory => OpenMemoryAsync(),
            StoreKind.Sqlite => OpenSqliteAsync(options.ConnectionString, cancellationToken),
            StoreKind.Postgres => OpenPostgresAsync(options.ConnectionString, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown store kind."),
        };
    }

    /// <summary>Commits pending writes and appends, then closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Storage.DisposeAsync().ConfigureAwait(false);
        await EventLog.DisposeAsync().ConfigureAwait(false);
        await Reminders.DisposeAsync().ConfigureAwait(false);
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Task<SiloStore> OpenMemoryAsync()
    {
        SiloStore store = new(StoreKind.Memory, "memory (in-process, not durable)", new MemoryGrainStorage(), new MemoryEventLog(), new MemoryReminderTable(), null);
        return Task.FromResult(store);
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

        SqliteGrainStorage? storage = null;
        SqliteEventLog? eventLog = null;
        SqliteReminderTable? reminders = null;
        try
        {
            string? directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            storage = new SqliteGrainStorage(connectionString);
            eventLog = new SqliteEventLog(connectionString);
            reminders = new SqliteReminderTable(connectionString);
            await storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await eventLog.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await reminders.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return new SiloStore(StoreKind.Sqlite, description, storage, eventLog, reminders, null);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            await DisposeAllAsync(storage, eventLog, reminders).ConfigureAwait(false);
            throw new InvalidOperationException($"Could not open the SQLite store at '{path}': {ex.Message}", ex);
        }
        catch
        {
            await DisposeAllAsync(storage, eventLog, reminders).ConfigureAwait(false);
            throw;
        }
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

        // Thousands of grains activate at once when a district loads; without a cap each state read would take a
        // connection of its own and exhaust the server's max_connections. Waiting for a pooled connection is
        // cheap by comparison. A "Maximum Pool Size" in the connection string still wins.
        if (!connectionString.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase) && !connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = 24;
        }

        NpgsqlDataSource dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        PostgresGrainStorage? storage = null;
        PostgresEventLog? eventLog = null;
        PostgresReminderTable? reminders = null;
        try
        {
            storage = new PostgresGrainStorage(dataSource);
            eventLog = new PostgresEventLog(dataSource);
            reminders = new PostgresReminderTable(dataSource);
            await storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await eventLog.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await reminders.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return new SiloStore(StoreKind.Postgres, description, storage, eventLog, reminders, dataSource);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            await DisposeAllAsync(storage, eventLog, reminders).ConfigureAwait(false);
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Could not open the PostgreSQL store at {target}: {ex.Message}", ex);
        }
        catch
        {
            await DisposeAllAsync(storage, eventLog, reminders).ConfigureAwait(false);
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task DisposeAllAsync(params IAsyncDisposable?[] parts)
    {
        foreach (IAsyncDisposable? part in parts)
        {
            if (part is not null)
            {
                await part.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
