using System.Diagnostics;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Keeps every latency sample (a run has at most a few hundred thousand: one per batch or query) and computes exact
/// percentiles by sorting, so p99 is not an interpolation between histogram buckets.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly Lock _lock = new();
    private readonly List<double> _samplesMs = new(4096);

    /// <summary>Samples recorded so far.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _samplesMs.Count;
            }
        }
    }

    /// <summary>Records the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/> value).</summary>
    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    /// <summary>Records one sample in milliseconds.</summary>
    public void Record(double milliseconds)
    {
        lock (_lock)
        {
            _samplesMs.Add(milliseconds);
        }
    }

    /// <summary>The p99 of the samples so far (for live progress); 0 without samples.</summary>
    public double CurrentP99Ms()
    {
        double[] copy;
        lock (_lock)
        {
            // The live view only needs the recent past; copying the tail keeps a long run's refresh cheap.
            int take = Math.Min(_samplesMs.Count, 2000);
            copy = _samplesMs.GetRange(_samplesMs.Count - take, take).ToArray();
        }

        Array.Sort(copy);
        return Percentile(copy, 0.99);
    }

    /// <summary>Percentiles of every sample.</summary>
    public LatencyFigures Summarize()
    {
        double[] sorted;
        lock (_lock)
        {
            sorted = _samplesMs.ToArray();
        }

        if (sorted.Length == 0)
        {
            return LatencyFigures.Empty;
        }

        Array.Sort(sorted);
        return new LatencyFigures(sorted.Length, Round(Percentile(sorted, 0.50)), Round(Percentile(sorted, 0.90)), Round(Percentile(sorted, 0.99)),
            Round(sorted[^1]), Round(sorted.Average()));
    }

    /// <summary>The nearest-rank percentile of sorted samples (the smallest sample with at least q of them at or below it).</summary>
    public static double Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        int rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static double Round(double value) => Math.Round(value, 3);
}
