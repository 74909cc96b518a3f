namespace CityTwin.Silo;

/// <summary>A grain call did not complete within the silo's response timeout (Orleans throws TimeoutException too).</summary>
public sealed class GrainCallTimeoutException(string message) : TimeoutException(message);
