using CityTwin.TestSupport;

namespace CityTwin.TwinApi.Tests;

/// <summary><see cref="TwinServerFixture"/> on the SQLite store: a database file in a temporary directory, removed with it.</summary>
public sealed class SqliteTwinServerFixture : TwinServerFixture
{
    private readonly TempDirectory _directory = new();

    /// <inheritdoc />
    protected override string[] StoreArgs => ["--store", "sqlite", "--connection", _directory.Combine("twin.db")];

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }
}
