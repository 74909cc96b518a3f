namespace CityTwin.Grains.Rules;

/// <summary>
/// Count, mean, minimum, maximum and variance of a stream of values in O(1) memory, by Welford's online algorithm
/// (numerically stable where the naive sum-of-squares loses precision). Mutable and JSON-serialisable: grains keep it in
/// their persistent state.
/// </summary>
public sealed class RunningStatistics
{
    /// <summary>Values seen.</summary>
    public long Count { get; set; }

    /// <summary>Mean of the values (0 when none).</summary>
    public double Mean { get; set; }

    /// <summary>Smallest value (null when none).</summary>
    public double? Min { get; set; }

    /// <summary>Largest value (null when none).</summary>
    public double? Max { get; set; }

    /// <summary>Sum of squared deviations from the mean (Welford's M2).</summary>
    public double SumOfSquares { get; set; }

    /// <summary>Sample variance (n - 1 in the denominator); 0 with fewer than two values.</summary>
    public double Variance => Count > 1 ? SumOfSquares / (Count - 1) : 0;

    /// <summary>Adds one value.</summary>
    public void Add(double value)
    {
        Count++;
        double delta = value - Mean;
        Mean += delta / Count;
        SumOfSquares += delta * (value - Mean);
        Min = Min is { } min && min <= value ? min : value;
        Max = Max is { } max && max >= value ? max : value;
    }
}
