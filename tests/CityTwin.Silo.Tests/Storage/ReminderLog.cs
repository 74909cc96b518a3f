using System.Collections.Concurrent;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>Reminder ticks the test grains received in one silo (a singleton of that silo).</summary>
public sealed class ReminderLog
{
    private readonly ConcurrentQueue<(string Key, string Reminder, DateTimeOffset At)> _ticks = new();

    /// <summary>Records a tick of <paramref name="reminder"/> on grain <paramref name="key"/>, received at <paramref name="at"/> on the grain's clock.</summary>
    public void Record(string key, string reminder, DateTimeOffset at) => _ticks.Enqueue((key, reminder, at));

    /// <summary>Ticks recorded for grain <paramref name="key"/> and <paramref name="reminder"/>.</summary>
    public int Count(string key, string reminder) => _ticks.Count(t => t.Key == key && t.Reminder == reminder);

    /// <summary>When the ticks of <paramref name="reminder"/> on grain <paramref name="key"/> arrived, in order.</summary>
    public DateTimeOffset[] Times(string key, string reminder) => [.. _ticks.Where(t => t.Key == key && t.Reminder == reminder).Select(t => t.At)];
}
