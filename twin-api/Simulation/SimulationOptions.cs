using System.ComponentModel.DataAnnotations;

namespace CityTwin.TwinApi.Simulation;

/// <summary>The demo's simulated traffic (the "Simulation" section, <c>--simulate</c>), checked when the server starts.</summary>
public sealed class SimulationOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Simulation";

    /// <summary>Whether the server feeds its sensors and vehicles simulated traffic (the demo profile turns it on).</summary>
    public bool Enabled { get; set; }

    /// <summary>Sensor readings sent per second, all sensors taking turns.</summary>
    [Range(0, 100_000)]
    public double ReadingsPerSecond { get; set; } = 50;

    /// <summary>Vehicle positions sent per second (patrol cars and muck trucks taking turns).</summary>
    [Range(0, 10_000)]
    public double PositionsPerSecond { get; set; } = 5;

    /// <summary>Hazard alarms (gas, smoke, CO, SOS) the traffic holds per hour, on average.</summary>
    [Range(0, 3_600)]
    public double AlarmsPerHour { get; set; } = 1;

    /// <summary>Sensor faults (low battery reports) the traffic holds per hour, on average.</summary>
    [Range(0, 3_600)]
    public double FaultsPerHour { get; set; } = 2;

    /// <summary>Seed of the traffic: the same seed on the same twin gives the same sequence.</summary>
    public int Seed { get; set; } = 7;

    /// <summary>How often a batch is sent (each holds what the rates make over the interval).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);
}
