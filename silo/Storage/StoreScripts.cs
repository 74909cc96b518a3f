using System.Reflection;

namespace CityTwin.Silo.Storage;

/// <summary>The schema scripts embedded from silo/Sql/&lt;vendor&gt;/ (Main, Persistence, Reminders, in that order).</summary>
internal static class StoreScripts
{
    private static readonly string[] Parts = ["Main", "Persistence", "Reminders"];

    /// <summary>The PostgreSQL scripts, concatenated.</summary>
    public static string PostgreSql() => Load("PostgreSQL");

    /// <summary>The SQLite scripts, concatenated.</summary>
    public static string Sqlite() => Load("Sqlite");

    private static string Load(string vendor)
    {
        Assembly assembly = typeof(StoreScripts).Assembly;
        return string.Join(
            Environment.NewLine,
            Parts.Select(part =>
            {
                string name = $"CityTwin.Silo.Sql.{vendor}.{part}.sql";
                using Stream stream = assembly.GetManifestResourceStream(name)
                    ?? throw new InvalidOperationException($"The schema script '{name}' is not embedded in {assembly.GetName().Name}.");
                using StreamReader reader = new(stream);
                return reader.ReadToEnd();
            }));
    }
}
