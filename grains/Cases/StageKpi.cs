using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>Time figures of one stage (or end to end): how many cases completed it, median and 90th percentile in seconds.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record StageKpi(long Count, double? MedianSeconds, double? P90Seconds);
