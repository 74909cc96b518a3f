namespace CityTwin.Scenarios.Models;

/// <summary>
/// Rainfall over time as consecutive blocks of constant intensity; answers cumulative depth at any time so a model
/// can step at its own interval (rain within a block is spread evenly).
/// </summary>
public sealed class Hyetograph
{
    private readonly double[] _endSeconds;
    private readonly double[] _cumulativeMm;

    private Hyetograph(double[] endSeconds, double[] cumulativeMm)
    {
        _endSeconds = endSeconds;
        _cumulativeMm = cumulativeMm;
    }

    /// <summary>Number of rainfall blocks.</summary>
    public int BlockCount => _endSeconds.Length;

    /// <summary>Storm duration in seconds.</summary>
    public double DurationSeconds => _endSeconds.Length == 0 ? 0.0 : _endSeconds[^1];

    /// <summary>Storm total depth in millimetres.</summary>
    public double TotalDepthMm => _cumulativeMm.Length == 0 ? 0.0 : _cumulativeMm[^1];

    /// <summary>Builds a hyetograph from consecutive (duration in minutes, depth in mm) blocks.</summary>
    public static Hyetograph FromIncrements(IEnumerable<(double DurationMinutes, double DepthMm)> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var ends = new List<double>();
        var cumulative = new List<double>();
        double t = 0.0;
        double p = 0.0;
        foreach ((double minutes, double depth) in blocks)
        {
            if (!(minutes > 0) || !double.IsFinite(minutes))
            {
                throw new ArgumentOutOfRangeException(nameof(blocks), minutes, "Block durations must be finite and positive.");
            }

            if (!(depth >= 0) || !double.IsFinite(depth))
            {
                throw new ArgumentOutOfRangeException(nameof(blocks), depth, "Block depths must be finite and non-negative.");
            }

            t += minutes * 60.0;
            p += depth;
            ends.Add(t);
            cumulative.Add(p);
        }

        return new Hyetograph([.. ends], [.. cumulative]);
    }

    /// <summary>A storm of constant intensity: the total depth (mm) spread evenly over the duration in blocks of an interval.</summary>
    public static Hyetograph Uniform(double totalDepthMm, TimeSpan duration, TimeSpan interval)
    {
        int n = BlockCountFor(totalDepthMm, duration, interval);
        double minutes = duration.TotalMinutes / n;
        return FromIncrements(Enumerable.Repeat((minutes, totalDepthMm / n), n));
    }

    /// <summary>
    /// A Chicago design storm (Keifer and Chu 1957) of a total depth over a duration, from an intensity-duration curve
    /// i = a / (t + b)^c with the peak at <paramref name="peakRatio"/> of the duration; a is scaled to the total.
    /// </summary>
    /// <remarks>
    /// The Chicago storm puts, in every window of length T around the peak, the depth a T / (T + b)^c; so the
    /// cumulative depth is known in closed form and each block gets its exact share. The defaults (b = 10 min,
    /// c = 0.75, peak at 0.4) are typical of published city IDF curves, not one city's.
    /// </remarks>
    public static Hyetograph Chicago(double totalDepthMm, TimeSpan duration, TimeSpan interval, double peakRatio = 0.4, double idfBMinutes = 10.0, double idfC = 0.75)
    {
        int n = BlockCountFor(totalDepthMm, duration, interval);
        if (!(peakRatio > 0 && peakRatio < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(peakRatio), peakRatio, "The peak ratio must be in (0, 1).");
        }

        if (!(idfBMinutes >= 0) || !(idfC >= 0 && idfC < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(idfC), idfC, "IDF parameters need b >= 0 and 0 <= c < 1.");
        }

        double d = duration.TotalMinutes;
        double a = totalDepthMm * Math.Pow(d + idfBMinutes, idfC) / d;
        double tPeak = peakRatio * d;
        double Window(double t) => t <= 0 ? 0.0 : a * t / Math.Pow(t + idfBMinutes, idfC);
        double Cumulative(double t) => t <= tPeak
            ? (peakRatio * Window(d)) - (peakRatio * Window((tPeak - t) / peakRatio))
            : (peakRatio * Window(d)) + ((1 - peakRatio) * Window((t - tPeak) / (1 - peakRatio)));

        double minutes = d / n;
        var blocks = new (double, double)[n];
        for (int i = 0; i < n; i++)
        {
            blocks[i] = (minutes, Math.Max(0.0, Cumulative((i + 1) * minutes) - Cumulative(i * minutes)));
        }

        return FromIncrements(blocks);
    }

    /// <summary>
    /// A "red rainstorm": 100 mm in 3 h, the threshold of China's red rainstorm warning signal, shaped as a Chicago
    /// storm in 5-minute blocks.
    /// </summary>
    public static Hyetograph RedRainstorm()
    {
        return Chicago(100.0, TimeSpan.FromHours(3), TimeSpan.FromMinutes(5));
    }

    /// <summary>Depth (mm) of block i.</summary>
    public double BlockDepthMm(int index)
    {
        return index == 0 ? _cumulativeMm[0] : _cumulativeMm[index] - _cumulativeMm[index - 1];
    }

    /// <summary>End time (s from storm start) of block i.</summary>
    public double BlockEndSeconds(int index) => _endSeconds[index];

    /// <summary>Cumulative rainfall (mm) from the start to a time (s); constant after the storm ends.</summary>
    public double CumulativeDepthMm(double timeSeconds)
    {
        if (!(timeSeconds > 0) || _endSeconds.Length == 0)
        {
            return 0.0;
        }

        if (timeSeconds >= _endSeconds[^1])
        {
            return _cumulativeMm[^1];
        }

        int i = Array.BinarySearch(_endSeconds, timeSeconds);
        if (i >= 0)
        {
            return _cumulativeMm[i];
        }

        i = ~i;
        double start = i == 0 ? 0.0 : _endSeconds[i - 1];
        double before = i == 0 ? 0.0 : _cumulativeMm[i - 1];
        double fraction = (timeSeconds - start) / (_endSeconds[i] - start);
        return before + (fraction * (_cumulativeMm[i] - before));
    }

    /// <summary>Rainfall depth (mm) between two times (s).</summary>
    public double DepthBetweenMm(double fromSeconds, double toSeconds)
    {
        return Math.Max(0.0, CumulativeDepthMm(toSeconds) - CumulativeDepthMm(fromSeconds));
    }

    /// <summary>Rainfall intensity (mm/h) at a time (s); zero outside the storm.</summary>
    public double IntensityMmPerHour(double timeSeconds)
    {
        if (timeSeconds < 0 || _endSeconds.Length == 0 || timeSeconds >= _endSeconds[^1])
        {
            return 0.0;
        }

        int i = Array.BinarySearch(_endSeconds, timeSeconds);
        i = i >= 0 ? i + 1 : ~i;
        double start = i == 0 ? 0.0 : _endSeconds[i - 1];
        return BlockDepthMm(i) / (_endSeconds[i] - start) * 3600.0;
    }

    private static int BlockCountFor(double totalDepthMm, TimeSpan duration, TimeSpan interval)
    {
        if (!(totalDepthMm >= 0) || !double.IsFinite(totalDepthMm))
        {
            throw new ArgumentOutOfRangeException(nameof(totalDepthMm), totalDepthMm, "Total depth must be finite and non-negative.");
        }

        if (duration <= TimeSpan.Zero || interval <= TimeSpan.Zero || interval > duration)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "Need 0 < interval <= duration.");
        }

        return (int)Math.Ceiling((duration.Ticks / (double)interval.Ticks) - 1e-9);
    }
}
