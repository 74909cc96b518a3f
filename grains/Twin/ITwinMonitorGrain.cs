using CityTwin.Grains.Rules;
using Orleans;

namespace CityTwin.Grains.Twin;

/// <summary>
/// The periodic checks of the twin (key "monitor"): every <see cref="TelemetryRuleOptions.MonitorPeriod"/> it scans the
/// read model for silent sensors and due welfare checks and asks only those grains to act.
/// </summary>
public interface ITwinMonitorGrain : IGrainWithStringKey
{
    /// <summary>The monitor's key.</summary>
    const string Key = "monitor";

    /// <summary>Activates the monitor so its timer runs (call once after a district is loaded or restored).</summary>
    Task StartAsync();

    /// <summary>Runs one scan now and reports what it did.</summary>
    Task<MonitorScanResult> ScanAsync();

    /// <summary>The most recent scan, or null before the first.</summary>
    Task<MonitorScanResult?> GetLastScanAsync();
}
