using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Grains.Cases;

/// <summary>Starts the case loop of a silo built with <c>AddTwin()</c>: rebuilds the case list from storage and starts alert intake.</summary>
public static class CaseLoop
{
    /// <summary>
    /// Restores the case list from <paramref name="storage"/> (when given: a restarting server) and subscribes the
    /// alert intake. Call once after the silo started.
    /// </summary>
    public static async Task<int> StartAsync(CityTwin.Silo.Silo silo, IGrainStorage? storage = null, CancellationToken cancellationToken = default)
    {
        int restored = 0;
        if (storage is not null)
        {
            string caseType = silo.GrainClasses.First(kv => kv.Value == typeof(CaseGrain)).Key;
            restored = await silo.Services.GetRequiredService<CaseIndex>().RestoreAsync(storage, caseType, cancellationToken);
        }

        await silo.Services.GetRequiredService<CaseIntake>().StartAsync();
        return restored;
    }
}
