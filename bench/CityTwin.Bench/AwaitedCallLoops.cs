namespace CityTwin.Bench;

/// <summary>
/// The awaited-call load of the runtime and cluster benchmarks: <c>concurrency</c> loops, each with one call in flight,
/// share <c>calls</c> between them and walk the grains round-robin from starting points spread over the array.
/// </summary>
internal static class AwaitedCallLoops
{
    /// <summary>Runs the loops and completes when every call has been answered.</summary>
    public static Task RunAsync<TGrain>(TGrain[] grains, int concurrency, int calls, Func<TGrain, int, Task<int>> ping)
    {
        var loops = new Task<int>[concurrency];
        int stride = Math.Max(1, grains.Length / concurrency);
        for (int j = 0; j < loops.Length; j++)
        {
            int start = (j * stride) % grains.Length, share = Share(calls, concurrency, j);
            loops[j] = Task.Run(() => LoopAsync(grains, start, share, ping));
        }

        return Task.WhenAll(loops);
    }

    /// <summary>Loop <paramref name="loop"/>'s share of <paramref name="total"/> (the remainder goes to the first loops).</summary>
    public static int Share(int total, int concurrency, int loop) => (total / concurrency) + (loop < total % concurrency ? 1 : 0);

    private static async Task<int> LoopAsync<TGrain>(TGrain[] grains, int start, int calls, Func<TGrain, int, Task<int>> ping)
    {
        int sum = 0, index = start;
        for (int i = 0; i < calls; i++)
        {
            sum += await ping(grains[index], i);
            if (++index == grains.Length)
            {
                index = 0;
            }
        }

        return sum;
    }
}
