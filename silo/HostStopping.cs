using Microsoft.Extensions.Hosting;

namespace CityTwin.Silo;

/// <summary>Ends a host that runs a silo: stops it gracefully, then releases it, even if the stop failed.</summary>
public static class HostStopping
{
    /// <summary>Stops <paramref name="host"/> (grains deactivate and write their changed state) and disposes it.</summary>
    public static async Task StopAndDisposeAsync(this IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            await host.StopAsync();
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }
}
