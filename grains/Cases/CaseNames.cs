namespace CityTwin.Grains.Cases;

/// <summary>
/// The names of statuses, actions and sources as the API, the catalogue and the aggregates spell them (kebab case:
/// "in-progress", "fail-check", "ai-camera"), so stored aggregates do not depend on enum numbering.
/// </summary>
public static class CaseNames
{
    private static readonly string[] StatusNames = Enum.GetValues<CaseStatus>().Select(s => Kebab(s.ToString())).ToArray();
    private static readonly string[] ActionNames = Enum.GetValues<CaseAction>().Select(s => Kebab(s.ToString())).ToArray();
    private static readonly string[] SourceNames = Enum.GetValues<CaseSource>().Select(s => Kebab(s.ToString())).ToArray();

    /// <summary>Every status name, in loop order.</summary>
    public static IReadOnlyList<string> Statuses => StatusNames;

    /// <summary>Every source name.</summary>
    public static IReadOnlyList<string> Sources => SourceNames;

    /// <summary>Every action name.</summary>
    public static IReadOnlyList<string> Actions => ActionNames;

    /// <summary>The API name of a status.</summary>
    public static string Of(CaseStatus status) => StatusNames[(int)status];

    /// <summary>The API name of an action.</summary>
    public static string Of(CaseAction action) => ActionNames[(int)action];

    /// <summary>The API name of a source.</summary>
    public static string Of(CaseSource source) => SourceNames[(int)source];

    /// <summary>Parses a status name (case-insensitive).</summary>
    public static bool TryParseStatus(string? name, out CaseStatus status) => TryParse(StatusNames, name, out status);

    /// <summary>Parses an action name (case-insensitive).</summary>
    public static bool TryParseAction(string? name, out CaseAction action) => TryParse(ActionNames, name, out action);

    /// <summary>Parses a source name (case-insensitive).</summary>
    public static bool TryParseSource(string? name, out CaseSource source) => TryParse(SourceNames, name, out source);

    private static bool TryParse<T>(string[] names, string? name, out T value) where T : struct, Enum
    {
        int i = name is null ? -1 : Array.FindIndex(names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        value = i < 0 ? default : Enum.GetValues<T>()[i];
        return i >= 0;
    }

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
