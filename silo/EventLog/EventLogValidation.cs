namespace CityTwin.Silo.EventLog;

/// <summary>Checks an append before it is queued, so one malformed entry cannot fail a whole batch of others.</summary>
internal static class EventLogValidation
{
    /// <summary>Throws <see cref="ArgumentException"/> when kind or key is missing or holds a NUL (PostgreSQL text cannot).</summary>
    public static void Validate(EventAppend entry)
    {
        if (string.IsNullOrEmpty(entry.Kind) || entry.Kind.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Event kind '{entry.Kind}' must be non-empty text without NUL characters.", nameof(entry));
        }

        if (entry.Key is null || entry.Key.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Event key '{entry.Key}' must be text without NUL characters.", nameof(entry));
        }
    }
}
