using System.Reflection;

namespace CityTwin.Silo.Storage;

/// <summary>
/// The schema scripts embedded from silo/Sql/&lt;vendor&gt;/ (Main, Persistence, Reminders, in that order; PostgreSQL also
/// Clustering, since only a PostgreSQL store can hold a cluster's membership).
/// </summary>
internal static class StoreScripts
{
    /// <summary>The PostgreSQL scripts, concatenated.</summary>
    public static string PostgreSql() => Load("PostgreSQL", ["Main", "Persistence", "Reminders", "Clustering"]);

    /// <summary>The SQLite scripts, concatenated.</summary>
    public static string Sqlite() => Load("Sqlite", ["Main", "Persistence", "Reminders"]);

    private static string Load(string vendor, string[] parts)
    {
        Assembly assembly = typeof(StoreScripts).Assembly;
        return string.Join(
            Environment.NewLine,
            parts.Select(part =>
            {
                string name = $"CityTwin.Silo.Sql.{vendor}.{part}.sql";
                using Stream stream = assembly.GetManifestResourceStream(name)
                    ?? throw new InvalidOperationException($"The schema script '{name}' is not embedded in {assembly.GetName().Name}.");
                using StreamReader reader = new(stream);
                return reader.ReadToEnd();
            }));
    }
}
