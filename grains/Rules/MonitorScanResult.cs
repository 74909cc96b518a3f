namespace CityTwin.Grains.Rules;

/// <summary>What one monitor scan did: sensors looked at, marked offline, and welfare checks raised.</summary>
public sealed record MonitorScanResult(DateTimeOffset At, int Scanned, int MarkedOffline, int WelfareChecks);
