namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The test classes that share one server on PostgreSQL (<see cref="PostgresTwinServerFixture"/>), one after another: a
/// first start loads the district into the database, which is worth doing once, and a test that locks the event log
/// must not hold up another class's writes.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresTwinCollection : ICollectionFixture<PostgresTwinServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "twin on PostgreSQL";
}
