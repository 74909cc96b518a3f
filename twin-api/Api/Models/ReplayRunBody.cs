namespace CityTwin.TwinApi.Api.Models;

/// <summary>Body of POST /api/scenarios/replays: the recorded range to replay into a fork, and how fast.</summary>
/// <param name="From">Start of the range (in the past).</param>
/// <param name="To">End of the range (exclusive).</param>
/// <param name="Speed">Simulated seconds per real second; 0 = as fast as possible.</param>
public sealed record ReplayRunBody(DateTimeOffset From, DateTimeOffset To, double Speed = 0);
