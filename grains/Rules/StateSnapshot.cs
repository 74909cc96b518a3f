using System.Text.Json;

namespace CityTwin.Grains.Rules;

/// <summary>
/// Copies a grain's state for callers outside the grain: calls pass objects by reference in this runtime, and a caller
/// serialising a live state while the grain mutates it would read a torn state (or fail enumerating a changing list).
/// </summary>
internal static class StateSnapshot
{
    /// <summary>A deep copy of <paramref name="state"/> through its JSON form (the form it is stored in).</summary>
    public static T Copy<T>(T state) where T : class =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(state, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;
}
