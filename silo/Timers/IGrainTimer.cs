namespace CityTwin.Silo;

/// <summary>A grain timer (Orleans: IGrainTimer). Ticks run as turns of the grain and never overlap.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Changes when the timer next fires and its period (Timeout.InfiniteTimeSpan for one shot).</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
