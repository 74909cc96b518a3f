using System.Text.Json;

namespace CityTwin.Grains.Cases;

/// <summary>
/// The category catalogue and the case loop's settings, read from JSON (the embedded grains/Cases/catalogue.json by
/// default). One per silo; immutable once loaded, so grains read it without coordination.
/// </summary>
public sealed class CaseCatalogue
{
    /// <summary>The manifest name of the embedded default catalogue.</summary>
    public const string ResourceName = "CityTwin.Grains.Cases.catalogue.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly Dictionary<string, CaseCategory> _byId;
    private readonly Dictionary<string, CaseCategory> _byAlertKind;

    private CaseCatalogue(CatalogueFile file)
    {
        Categories = file.Categories;
        NetworkFactor = file.NetworkFactor;
        DedupWindow = file.DedupWindow;
        UtcOffsetHours = file.UtcOffsetHours;
        SearchRadiiM = file.SearchRadiiM;
        _byId = file.Categories.ToDictionary(c => c.Id, StringComparer.OrdinalIgnoreCase);
        _byAlertKind = new Dictionary<string, CaseCategory>(StringComparer.OrdinalIgnoreCase);
        foreach (CaseCategory c in file.Categories)
        {
            foreach (string kind in c.AlertKinds)
            {
                if (!_byAlertKind.TryAdd(kind, c))
                {
                    throw new InvalidDataException($"Alert kind '{kind}' is mapped to both '{_byAlertKind[kind].Id}' and '{c.Id}' in the case catalogue.");
                }
            }
        }
    }

    /// <summary>Every category.</summary>
    public IReadOnlyList<CaseCategory> Categories { get; }

    /// <summary>
    /// Travel distance is estimated as straight-line distance times this factor (a road network detour allowance),
    /// until routing on the street network exists.
    /// </summary>
    public double NetworkFactor { get; }

    /// <summary>Repeated alerts from one building within this window join its open case.</summary>
    public TimeSpan DedupWindow { get; }

    /// <summary>Offset of local time from UTC for hour-of-day and weekday heat maps.</summary>
    public int UtcOffsetHours { get; }

    /// <summary>Radii searched in turn for the nearest able unit, in metres.</summary>
    public double[] SearchRadiiM { get; }

    /// <summary>Reads the embedded default catalogue.</summary>
    public static CaseCatalogue LoadDefault()
    {
        using Stream stream = typeof(CaseCatalogue).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The grains assembly has no embedded '{ResourceName}'; embed grains/Cases/catalogue.json with that LogicalName.");
        return Load(stream);
    }

    /// <summary>Reads a catalogue file.</summary>
    public static CaseCatalogue LoadFile(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Reads a catalogue from JSON and checks it.</summary>
    public static CaseCatalogue Load(Stream json)
    {
        CatalogueFile file = JsonSerializer.Deserialize<CatalogueFile>(json, Json) ?? throw new InvalidDataException("The case catalogue is empty.");
        Validate(file);
        return new CaseCatalogue(file);
    }

    /// <summary>A category by id (case-insensitive), or null.</summary>
    public CaseCategory? Find(string? id) => id is not null && _byId.TryGetValue(id, out CaseCategory? c) ? c : null;

    /// <summary>The category an alert kind opens, or null when alerts of that kind do not become cases.</summary>
    public CaseCategory? ForAlertKind(string kind) => _byAlertKind.GetValueOrDefault(kind);

    private static void Validate(CatalogueFile file)
    {
        if (file.Categories.Length == 0)
        {
            throw new InvalidDataException("The case catalogue has no categories.");
        }

        if (!double.IsFinite(file.NetworkFactor) || file.NetworkFactor < 1)
        {
            throw new InvalidDataException($"networkFactor must be at least 1 (was {file.NetworkFactor}).");
        }

        if (file.SearchRadiiM.Length == 0 || file.SearchRadiiM.Any(r => !double.IsFinite(r) || r <= 0))
        {
            throw new InvalidDataException("searchRadiiM must list positive radii.");
        }

        foreach (CaseCategory c in file.Categories)
        {
            if (string.IsNullOrWhiteSpace(c.Id) || string.IsNullOrWhiteSpace(c.Department))
            {
                throw new InvalidDataException($"Category '{c.Id}' needs an id and a department.");
            }

            foreach (string stage in c.Sla.Keys)
            {
                if (!CaseNames.TryParseStatus(stage, out CaseStatus s) || CaseStateMachine.IsTerminal(s))
                {
                    throw new InvalidDataException($"Category '{c.Id}' has an SLA for '{stage}', which is not a non-terminal status.");
                }
            }

            foreach (string source in c.AutoVerifySources)
            {
                if (!CaseNames.TryParseSource(source, out _))
                {
                    throw new InvalidDataException($"Category '{c.Id}' names unknown source '{source}'.");
                }
            }

            foreach (DispatchUnitSpec u in c.Dispatch)
            {
                if (u.Type is not ("responder" or "vehicle") || (u.Type == "vehicle" && u.Kinds.Length == 0))
                {
                    throw new InvalidDataException($"Category '{c.Id}' has a dispatch unit that is neither a responder nor a vehicle with kinds.");
                }
            }
        }

        if (file.Categories.GroupBy(c => c.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } dup)
        {
            throw new InvalidDataException($"Category '{dup.Key}' appears twice in the case catalogue.");
        }
    }

    private sealed class CatalogueFile
    {
        public double NetworkFactor { get; init; } = 1.3;

        public TimeSpan DedupWindow { get; init; } = TimeSpan.FromMinutes(30);

        public int UtcOffsetHours { get; init; }

        public double[] SearchRadiiM { get; init; } = [1_000, 3_000, 10_000, 30_000];

        public CaseCategory[] Categories { get; init; } = [];
    }
}
