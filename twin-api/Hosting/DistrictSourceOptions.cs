using System.ComponentModel.DataAnnotations;

namespace CityTwin.TwinApi.Hosting;

/// <summary>The district loaded on the first start (the "District" configuration section), checked when the server starts.</summary>
public sealed class DistrictSourceOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "District";

    /// <summary>Seed of the generated demo district.</summary>
    public int Seed { get; set; } = 7;

    /// <summary>Buildings of the generated demo district.</summary>
    [Range(0, 5_000_000)]
    public int Buildings { get; set; } = 2000;

    /// <summary>A district file (<c>citytwin generate</c>) to load instead of generating one.</summary>
    public string? File { get; set; }
}
