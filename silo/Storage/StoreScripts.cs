using System.Reflection;

namespace CityTwin.Silo.Storage;

/// <summary>
/// The SQL embedded from silo/Sql/&lt;vendor&gt;/: the schema scripts (Main, Persistence, Reminders, in that order;
/// PostgreSQL also Clustering, since only a PostgreSQL store can hold a cluster's membership) and the statements our own
/// code runs (the batched grain-state reads and writes).
/// </summary>
internal static class StoreScripts
{
    /// <summary>The folder of PostgreSQL's scripts.</summary>
    public const string PostgreSqlVendor = "PostgreSQL";

    /// <summary>The folder of SQLite's scripts.</summary>
    public const string SqliteVendor = "Sqlite";

    private static readonly string[] SqliteParts = ["Main", "Persistence", "Reminders"];

    private static readonly string[] PostgreSqlParts = ["Main", "Persistence", "Reminders", "Clustering"];

    /// <summary>The PostgreSQL scripts, concatenated.</summary>
    public static string PostgreSql() => Schema(PostgreSqlVendor, PostgreSqlParts);

    /// <summary>The SQLite scripts, concatenated.</summary>
    public static string Sqlite() => Schema(SqliteVendor, SqliteParts);

    /// <summary>The script silo/Sql/<paramref name="vendor"/>/<paramref name="name"/>.sql.</summary>
    public static string Statement(string vendor, string name)
    {
        Assembly assembly = typeof(StoreScripts).Assembly;
        string resource = $"CityTwin.Silo.Sql.{vendor}.{name}.sql";
        using Stream stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The script '{resource}' is not embedded in {assembly.GetName().Name}.");
        using StreamReader reader = new(stream);
        return reader.ReadToEnd();
    }

    private static string Schema(string vendor, string[] parts) => string.Join(Environment.NewLine, parts.Select(part => Statement(vendor, part)));
}
