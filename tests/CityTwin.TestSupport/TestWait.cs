namespace CityTwin.TestSupport;

/// <summary>Polls a condition until it holds or a deadline passes (for effects that happen on other threads).</summary>
public static class TestWait
{
    /// <summary>Waits until <paramref name="condition"/> is true; throws TimeoutException with <paramref name="what"/> otherwise.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what = "condition")
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} not reached within {timeout}");
            }

            await Task.Delay(10);
        }
    }
}
