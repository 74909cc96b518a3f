using CityTwin.Grains.Twin;
using CityTwin.Silo;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// Hands physics results to the fork's cell grains at the reporting cadence (not per physics step): only cells whose
/// value moved by more than a tolerance since the last push, or crossed one of the given thresholds, are called, so a
/// dry district costs nothing and a cell's status (e.g. flooded at 0.15 m) is never behind the model.
/// </summary>
internal sealed class CellResultSink(IGrainFactory grains, string[] ids, double tolerance, params double[] thresholds)
{
    private readonly double[] _pushed = new double[ids.Length];

    /// <summary>Cell grain calls made so far.</summary>
    public long Pushes { get; private set; }

    /// <summary>Pushes changed values; <paramref name="push"/> makes the grain call for one cell (grain, index, value).</summary>
    public async Task PushAsync(ReadOnlyMemory<double> values, Func<ICellGrain, int, double, Task> push, CancellationToken cancellationToken)
    {
        var calls = new List<Task>();
        for (int i = 0; i < ids.Length; i++)
        {
            double v = values.Span[i];
            if (ids[i] is null || (Math.Abs(v - _pushed[i]) <= tolerance && !Crosses(_pushed[i], v)))
            {
                continue;
            }

            _pushed[i] = v;
            calls.Add(push(grains.GetGrain<ICellGrain>(ids[i]), i, v));
            if (calls.Count >= 2_000)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.WhenAll(calls);
                Pushes += calls.Count;
                calls.Clear();
            }
        }

        await Task.WhenAll(calls);
        Pushes += calls.Count;
    }

    private bool Crosses(double from, double to)
    {
        foreach (double t in thresholds)
        {
            if ((from >= t) != (to >= t))
            {
                return true;
            }
        }

        return false;
    }
}
