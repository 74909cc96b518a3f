using System.Numerics;

namespace CityTwin.Grains.Cases;

/// <summary>
/// Counts durations in whole seconds in log-linear buckets: exact below 256 s, then 128 buckets per doubling, so a
/// quantile is within 0.8 % of the true value (it reports the bucket's lower bound, which is exact below 256 s and for
/// durations that are multiples of the bucket width, such as 5, 10, 15, 30, 60 or 120 minutes). Small and mergeable: KPIs over a million cases merge a few hundred of these per query.
/// </summary>
public sealed class DurationHistogram
{
    /// <summary>Highest bucket index (durations of 2^31 s and more share it).</summary>
    public const int MaxBucket = 256 + ((31 - 8) * 128) + 127;

    /// <summary>Count per bucket index (sparse).</summary>
    public Dictionary<int, long> Buckets { get; set; } = [];

    /// <summary>Durations counted.</summary>
    public long Count { get; set; }

    /// <summary>Counts one duration.</summary>
    public void Add(double seconds)
    {
        int b = BucketOf(seconds);
        Buckets[b] = Buckets.GetValueOrDefault(b) + 1;
        Count++;
    }

    /// <summary>Adds this histogram's counts to a dense accumulator of <see cref="MaxBucket"/> + 1 slots.</summary>
    public void AddTo(long[] dense)
    {
        foreach ((int b, long n) in Buckets)
        {
            dense[b] += n;
        }
    }

    /// <summary>The nearest-rank quantile <paramref name="q"/> (0..1) of a dense accumulator, in seconds; null when empty.</summary>
    public static double? Quantile(long[] dense, long count, double q)
    {
        if (count == 0)
        {
            return null;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(q * count));
        long seen = 0;
        for (int b = 0; b < dense.Length; b++)
        {
            seen += dense[b];
            if (seen >= rank)
            {
                return LowerBound(b);
            }
        }

        return LowerBound(dense.Length - 1);
    }

    /// <summary>The bucket of a duration.</summary>
    public static int BucketOf(double seconds)
    {
        long s = seconds <= 0 || double.IsNaN(seconds) ? 0 : seconds >= int.MaxValue ? int.MaxValue : (long)seconds;
        if (s < 256)
        {
            return (int)s;
        }

        int e = 63 - BitOperations.LeadingZeroCount((ulong)s);
        long mantissa = s >> (e - 7);
        return Math.Min(MaxBucket, 256 + ((e - 8) * 128) + (int)(mantissa - 128));
    }

    /// <summary>The smallest duration (seconds) counted in bucket <paramref name="bucket"/>.</summary>
    public static long LowerBound(int bucket)
    {
        if (bucket < 256)
        {
            return bucket;
        }

        int k = bucket - 256;
        int e = 8 + (k / 128);
        long mantissa = 128 + (k % 128);
        return mantissa << (e - 7);
    }
}
