namespace CityTwin.Scenarios.Runs;

/// <summary>The stock scenario files shipped in <c>stock/</c> beside the binaries (heavy-rainfall, gas-leak, …).</summary>
public static class StockScenarios
{
    /// <summary>The directory stock files are read from.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "stock");

    /// <summary>Names of the stock scenarios (file names without .json), sorted.</summary>
    public static IReadOnlyList<string> Names() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>True when <paramref name="name"/> is a stock scenario.</summary>
    public static bool Exists(string name) => Names().Contains(name, StringComparer.Ordinal);

    /// <summary>
    /// Reads and validates a stock scenario within <paramref name="limits"/> (default: the default budgets); throws
    /// <see cref="KeyNotFoundException"/> for an unknown name.
    /// </summary>
    public static ScenarioDefinition Load(string name, ScenarioRunOptions? limits = null)
    {
        // Names come from requests: only names listed in the directory are opened, never a path built from input.
        if (!Exists(name))
        {
            throw new KeyNotFoundException($"No stock scenario '{name}'; stock scenarios: {string.Join(", ", Names())}.");
        }

        return ScenarioParser.Parse(File.ReadAllText(Path.Combine(Directory, name + ".json")), limits);
    }
}
