namespace CityTwin.Silo.Storage;

/// <summary>Decides, from the columns a database reports for a table, whether it is a table an earlier CityTwin build made.</summary>
internal static class LegacyTable
{
    /// <summary>
    /// True for a table with the old layout, false when there is no such table (no columns); a table of that name with
    /// another layout is not ours to touch, so the store refuses to open rather than guess.
    /// </summary>
    public static bool Matches(string table, string[] columns, HashSet<string> found, string place)
    {
        if (found.Count == 0)
        {
            return false;
        }

        if (!columns.All(found.Contains))
        {
            throw new InvalidOperationException(
                $"The database has a table '{table}' that is not the one an earlier CityTwin build made (expected columns {string.Join(", ", columns)}; "
                + $"found {string.Join(", ", found.Order(StringComparer.Ordinal))}). CityTwin does not touch it: rename or drop it, or use another {place}, and start again.");
        }

        return true;
    }
}
