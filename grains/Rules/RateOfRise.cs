namespace CityTwin.Grains.Rules;

/// <summary>
/// The rate at which a river rises over a trailing window: (level now - level at the start of the window) / elapsed
/// hours, where the start is the newest sample at or before <c>now - window</c>, or the oldest sample when the history
/// is shorter than the window. Judged only once the samples span <c>minSpan</c>. Keeps the few samples that can still
/// matter; JSON-serialisable so a gauge keeps it in its state.
/// </summary>
public sealed class RateOfRise
{
    /// <summary>Samples kept, oldest first, at most this many (a gauge reporting every second over an hour).</summary>
    public const int MaxSamples = 4096;

    /// <summary>Samples, oldest first.</summary>
    public List<LevelSample> Samples { get; set; } = [];

    /// <summary>Adds a sample and drops those older than the window's start; out-of-order samples are ignored.</summary>
    public void Add(DateTimeOffset at, double levelM, TimeSpan window)
    {
        if (Samples.Count > 0 && at < Samples[^1].At)
        {
            return;
        }

        Samples.Add(new LevelSample(at, levelM));

        // Keep the newest sample at or before the window start as the anchor; everything older is no longer needed.
        DateTimeOffset start = at - window;
        int anchor = Samples.FindLastIndex(s => s.At <= start);
        int drop = Math.Max(anchor, Samples.Count - MaxSamples);
        if (drop > 0)
        {
            Samples.RemoveRange(0, drop);
        }
    }

    /// <summary>Metres per hour over the window ending at the newest sample, or null when the samples span less than <paramref name="minSpan"/>.</summary>
    public double? MetresPerHour(TimeSpan window, TimeSpan minSpan)
    {
        if (Samples.Count < 2)
        {
            return null;
        }

        LevelSample last = Samples[^1];
        DateTimeOffset start = last.At - window;
        LevelSample first = Samples[0];
        for (int i = Samples.Count - 1; i >= 0; i--)
        {
            if (Samples[i].At <= start)
            {
                first = Samples[i];
                break;
            }
        }

        TimeSpan span = last.At - first.At;
        return span < minSpan || span <= TimeSpan.Zero ? null : (last.LevelM - first.LevelM) / span.TotalHours;
    }
}
