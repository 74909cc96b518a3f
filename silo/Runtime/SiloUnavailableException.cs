namespace CityTwin.Silo;

/// <summary>A call was made to a silo that is stopping or stopped.</summary>
public sealed class SiloUnavailableException(string message) : Exception(message);
