namespace CityTwin.Scenarios.Models;

/// <summary>
/// The raster a flood model runs on: square cells in row-major order (index = row x columns + column, row 0 at the
/// north edge) with bed elevation, initial water depth, SCS curve number and drainage capacity per cell.
/// </summary>
public sealed class FloodGrid
{
    /// <summary>Creates a grid with flat zero terrain, no water, CN 98 (paved) and no drainage everywhere.</summary>
    public FloodGrid(int columns, int rows, double cellSizeM)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (!(cellSizeM > 0) || !double.IsFinite(cellSizeM))
        {
            throw new ArgumentOutOfRangeException(nameof(cellSizeM), cellSizeM, "Cell size must be finite and positive.");
        }

        long count = (long)columns * rows;
        if (count > Array.MaxLength / 4)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), "Grid too large.");
        }

        Columns = columns;
        Rows = rows;
        CellSizeM = cellSizeM;
        int n = (int)count;
        ElevationM = new double[n];
        InitialDepthM = new double[n];
        CurveNumber = new double[n];
        DrainageCapacityMmPerHour = new double[n];
        Array.Fill(CurveNumber, ScsCurveNumber.ImperviousCurveNumber);
    }

    /// <summary>Number of columns (west to east).</summary>
    public int Columns { get; }

    /// <summary>Number of rows (north to south).</summary>
    public int Rows { get; }

    /// <summary>Number of cells.</summary>
    public int CellCount => ElevationM.Length;

    /// <summary>Cell edge length in metres.</summary>
    public double CellSizeM { get; }

    /// <summary>Cell area in square metres.</summary>
    public double CellAreaM2 => CellSizeM * CellSizeM;

    /// <summary>Bed (ground) elevation per cell, metres.</summary>
    public double[] ElevationM { get; }

    /// <summary>Water depth per cell at the start of a run, metres.</summary>
    public double[] InitialDepthM { get; }

    /// <summary>SCS curve number per cell, in (0, 100].</summary>
    public double[] CurveNumber { get; }

    /// <summary>Storm-drain capacity per cell, millimetres of depth per hour.</summary>
    public double[] DrainageCapacityMmPerHour { get; }

    /// <summary>Array index of a cell.</summary>
    public int IndexOf(int column, int row)
    {
        if ((uint)column >= (uint)Columns || (uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(column), $"Cell ({column}, {row}) is outside the grid.");
        }

        return (row * Columns) + column;
    }
}
