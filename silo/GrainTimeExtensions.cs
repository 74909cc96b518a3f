using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Silo;

/// <summary>The grain-facing clock of Orleans (keyed <see cref="TimeProviderNames.Grains"/>): system time live, virtual in forks.</summary>
public static class GrainTimeExtensions
{
    /// <summary>The clock grain timers run on, as Orleans gives it to the grain's runtime.</summary>
    public static TimeProvider GetGrainTimeProvider(this Grain grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        return grain.GrainContext.ActivationServices.GetRequiredService<IGrainRuntime>().TimeProvider;
    }

    /// <summary>The clock a silo's grains run on, read from the silo's services (for code outside grains).</summary>
    public static TimeProvider GetGrainTimeProvider(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetKeyedService<TimeProvider>(TimeProviderNames.Grains) ?? TimeProvider.System;
    }
}
