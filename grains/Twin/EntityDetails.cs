using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>An entity as its grain sees it: the summary and the full state (serialised with its runtime type).</summary>
public sealed record EntityDetails(EntitySummary Summary, object State);
