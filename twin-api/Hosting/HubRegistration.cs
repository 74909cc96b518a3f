using CityTwin.Grains.Json;
using CityTwin.TwinApi.Auth;
using CityTwin.TwinApi.Hubs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CityTwin.TwinApi.Hosting;

/// <summary>Registers and maps the live-push hub (<c>/hubs/twin</c>), its gateway and the operations page.</summary>
public static class HubRegistration
{
    /// <summary>
    /// Adds SignalR, the subscription registry and the gateway that forwards the silo's streams to clients; settings
    /// come from the <c>Hub</c> section (<see cref="TwinHubOptions"/>). Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddTwinHub(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(HubSubscriptions)))
        {
            return services;
        }

        services.AddSignalR().AddJsonProtocol(o => TwinJson.Configure(o.PayloadSerializerOptions));
        services.AddOptions<TwinHubOptions>().BindConfiguration(TwinHubOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(HubSubscriptions.ClockKey, TimeProvider.System);
        services.AddSingleton<HubSubscriptions>();
        services.AddSingleton<TwinHubGateway>();
        services.AddHostedService(sp => sp.GetRequiredService<TwinHubGateway>());
        return services;
    }

    /// <summary>
    /// Maps the hub at <c>/hubs/twin</c> (viewer role: receiving pushes is reading) and serves <c>wwwroot</c>, with
    /// <c>index.html</c> (the operations page) at <c>/</c>. Call once, after the routing and API-key middleware.
    /// </summary>
    public static WebApplication MapTwinHub(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseDefaultFiles();
        app.UseStaticFiles();

        // The negotiate request is a POST, which the API-key middleware would otherwise treat as a write.
        app.MapHub<TwinHub>(TwinHub.Path).RequireRole(Role.Viewer);
        return app;
    }
}
