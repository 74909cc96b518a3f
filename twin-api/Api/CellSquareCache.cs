using System.Collections.Concurrent;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// The squares of raster cells (<see cref="CellSquare.Of"/>) computed once per cell and reused while the cell keeps its
/// centre and size: five inverse UTM projections per cell made the map's cell layer (2,500 cells in the demo) the
/// slowest of its requests.
/// </summary>
internal sealed class CellSquareCache
{
    private readonly ConcurrentDictionary<string, (GeoPoint Centre, object? Size, GeoPoint[] Ring)> _squares = new(StringComparer.Ordinal);

    /// <summary>The closed ring of <paramref name="cell"/>'s square.</summary>
    public GeoPoint[] Of(UtmProjection projection, EntitySummary cell)
    {
        object? size = cell.Properties?.GetValueOrDefault("sizeM");
        if (_squares.TryGetValue(cell.Id, out var known) && known.Centre == cell.Position && Equals(known.Size, size))
        {
            return known.Ring;
        }

        GeoPoint[] ring = CellSquare.Of(projection, cell);
        _squares[cell.Id] = (cell.Position, size, ring);
        return ring;
    }
}
