using System.Collections.Concurrent;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>Reminder ticks the test grains received in one silo (a singleton of that silo).</summary>
public sealed class ReminderLog
{
    private readonly ConcurrentQueue<(string Key, string Reminder)> _ticks = new();

    /// <summary>Records a tick of <paramref name="reminder"/> on grain <paramref name="key"/>.</summary>
    public void Record(string key, string reminder) => _ticks.Enqueue((key, reminder));

    /// <summary>Ticks recorded for grain <paramref name="key"/> and <paramref name="reminder"/>.</summary>
    public int Count(string key, string reminder) => _ticks.Count(t => t.Key == key && t.Reminder == reminder);
}
