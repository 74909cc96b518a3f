namespace CityTwin.Grains.Rules;

/// <summary>
/// Settings of vehicle tracking and the muck-truck rules of one silo. Register a configured instance with
/// <c>ISiloBuilder.ConfigureServices</c> (before or after <c>AddTwin()</c>) to change the defaults.
/// </summary>
/// <remarks>
/// The trajectory length applies to every vehicle; it lives here because muck-truck supervision (the trip back to the
/// site) is what sizes it.
/// </remarks>
public sealed class MuckTruckOptions
{
    /// <summary>Positions kept per vehicle (a ring: the oldest is dropped when full). Default 500.</summary>
    public int TrajectoryCapacity { get; init; } = 500;

    /// <summary>A muck truck reporting a load above this (tonnes) at a checkpoint is overloaded. Default 30 t.</summary>
    public double MaxLoadTonnes { get; init; } = 30;

    /// <summary>Throws when a setting is out of range (checked when a vehicle grain activates).</summary>
    public void Validate()
    {
        if (TrajectoryCapacity < 2)
        {
            throw new InvalidOperationException($"MuckTruckOptions.TrajectoryCapacity must be at least 2 (was {TrajectoryCapacity}).");
        }

        if (!double.IsFinite(MaxLoadTonnes) || MaxLoadTonnes <= 0)
        {
            throw new InvalidOperationException($"MuckTruckOptions.MaxLoadTonnes must be a positive number (was {MaxLoadTonnes}).");
        }
    }
}
