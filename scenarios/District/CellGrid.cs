using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// The square raster over the district in UTM metres, stored as parallel arrays (row-major, row 0 at the
/// south edge) so physics can run over all cells at once. Cell id: <c>cell-{column}-{row}</c>.
/// </summary>
/// <param name="Columns">Cells west to east.</param>
/// <param name="Rows">Cells south to north.</param>
/// <param name="CellSizeM">Edge length in metres.</param>
/// <param name="OriginEasting">UTM easting of the south-west corner.</param>
/// <param name="OriginNorthing">UTM northing of the south-west corner.</param>
/// <param name="ElevationM">Ground elevation in metres.</param>
/// <param name="Imperviousness">Impervious fraction, 0-1.</param>
/// <param name="CurveNumber">SCS runoff curve number, 0-100.</param>
/// <param name="DrainageMmPerHour">Storm drain capacity as a rainfall rate it removes; 0 on river cells (the river is the outlet).</param>
/// <param name="IsRiver">True where the river channel crosses the cell.</param>
public sealed record CellGrid(
    int Columns,
    int Rows,
    double CellSizeM,
    double OriginEasting,
    double OriginNorthing,
    double[] ElevationM,
    double[] Imperviousness,
    double[] CurveNumber,
    double[] DrainageMmPerHour,
    bool[] IsRiver)
{
    /// <summary>Index of the cell at <paramref name="column"/>, <paramref name="row"/>.</summary>
    public int IndexOf(int column, int row) => (row * Columns) + column;

    /// <summary>The grain id of cell <paramref name="index"/>.</summary>
    public string IdOf(int index) => $"cell-{index % Columns}-{index / Columns}";

    /// <summary>Index of the cell holding a UTM point, or -1 outside the grid.</summary>
    public int IndexAt(ProjectedPoint point)
    {
        double cx = Math.Floor((point.X - OriginEasting) / CellSizeM);
        double cy = Math.Floor((point.Y - OriginNorthing) / CellSizeM);
        return cx < 0 || cy < 0 || cx >= Columns || cy >= Rows ? -1 : IndexOf((int)cx, (int)cy);
    }

    /// <summary>UTM centre of cell <paramref name="index"/>.</summary>
    public ProjectedPoint CentreOf(int index) => new(
        OriginEasting + (((index % Columns) + 0.5) * CellSizeM),
        OriginNorthing + (((index / Columns) + 0.5) * CellSizeM));
}
