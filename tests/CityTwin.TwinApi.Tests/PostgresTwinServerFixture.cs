using CityTwin.TestSupport;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// <see cref="TwinServerFixture"/> on the PostgreSQL store: a fresh database on the test server (CITYTWIN_TEST_POSTGRES),
/// dropped when the fixture is disposed.
/// </summary>
public class PostgresTwinServerFixture : TwinServerFixture
{
    private PostgresDatabase? _database;

    /// <summary>The server's database.</summary>
    public PostgresDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <inheritdoc />
    protected override string[] StoreArgs => ["--store", "postgres", "--connection", Database.ConnectionString];

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        await base.InitializeAsync();
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
