using CityTwin.Grains.Cases;

namespace CityTwin.Grains.Tests.Cases;

/// <summary>The stage-time histogram behind median/p90 KPIs.</summary>
public sealed class DurationHistogramTests
{
    [Fact]
    public void Quantiles_are_within_one_percent_of_the_exact_nearest_rank_values()
    {
        var random = new Random(42);
        double[] values = Enumerable.Range(0, 20_000).Select(_ => Math.Exp(random.NextDouble() * 14)).ToArray();
        var h = new DurationHistogram();
        foreach (double v in values)
        {
            h.Add(v);
        }

        long[] dense = new long[DurationHistogram.MaxBucket + 1];
        h.AddTo(dense);
        long[] sorted = values.Select(v => (long)v).Order().ToArray();
        foreach (double q in new[] { 0.1, 0.5, 0.9, 0.99 })
        {
            long exact = sorted[(int)Math.Ceiling(q * sorted.Length) - 1];
            double estimate = DurationHistogram.Quantile(dense, h.Count, q)!.Value;
            Assert.InRange(estimate, exact * 0.99, exact);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(600)]
    [InlineData(3600)]
    [InlineData(7_200)]
    public void Round_durations_are_counted_exactly(long seconds)
    {
        Assert.Equal(seconds, DurationHistogram.LowerBound(DurationHistogram.BucketOf(seconds)));
    }
}
