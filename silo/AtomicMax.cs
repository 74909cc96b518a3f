namespace CityTwin.Silo;

/// <summary>A <c>long</c> field that only rises, raised from several threads without a lock.</summary>
public static class AtomicMax
{
    /// <summary>Sets <paramref name="target"/> to <paramref name="value"/> unless it already holds as much or more.</summary>
    public static void Raise(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
