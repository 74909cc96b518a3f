using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Grains.Cases;

/// <summary>Starts the case loop of a silo built with <c>AddTwin()</c>: rebuilds the case list from storage and starts alert intake.</summary>
public static class CaseLoop
{
    /// <summary>
    /// Restores the case list from <paramref name="states"/> (when given: a restarting server or a fork) and subscribes
    /// the alert intake; returns how many cases were restored. Call once after the silo started; <paramref name="services"/>
    /// are the silo's.
    /// </summary>
    public static async Task<int> StartAsync(IServiceProvider services, IStoredStateReader? states = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        int restored = 0;
        if (states is not null)
        {
            restored = await services.GetRequiredService<CaseIndex>().RestoreAsync(states, cancellationToken);
        }

        await services.GetRequiredService<CaseIntake>().StartAsync();
        return restored;
    }
}
