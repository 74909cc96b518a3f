namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Polls a condition that needs a request to read (an HTTP answer, a grain's state) until it holds or a deadline passes:
/// the asynchronous sibling of <see cref="CityTwin.TestSupport.TestWait"/>.
/// </summary>
public static class AsyncWait
{
    /// <summary>Waits until <paramref name="condition"/> returns true; throws TimeoutException with <paramref name="what"/> otherwise.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what = "condition")
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} not reached within {timeout}");
            }

            await Task.Delay(20);
        }
    }
}
