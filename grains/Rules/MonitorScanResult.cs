using Orleans;

namespace CityTwin.Grains.Rules;

/// <summary>What one monitor scan did: sensors looked at, marked offline, and welfare checks raised.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record MonitorScanResult(DateTimeOffset At, int Scanned, int MarkedOffline, int WelfareChecks);
