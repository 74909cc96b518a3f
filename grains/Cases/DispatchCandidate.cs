namespace CityTwin.Grains.Cases;

/// <summary>
/// A unit that could take a case: its type ("responder" or "vehicle"), id, straight-line distance and the travel
/// estimate (straight line times the network factor), in metres.
/// </summary>
public sealed record DispatchCandidate(string Type, string Id, double DistanceM, double TravelDistanceM);
