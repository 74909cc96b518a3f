using System.Diagnostics.Metrics;
using CityTwin.TwinApi.Auth;
using CityTwin.TwinApi.Hosting;
using OpenTelemetry.Metrics;

namespace CityTwin.TwinApi.Metrics;

/// <summary>
/// Metrics through OpenTelemetry: Orleans' meter, CityTwin's (<see cref="TwinMetrics"/>) and ASP.NET Core's HTTP server
/// meter, exported for Prometheus at <see cref="Path"/> to the callers <c>Metrics:Access</c> allows.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>The Prometheus scraping path.</summary>
    public const string Path = "/metrics";

    /// <summary>Reads <c>Metrics:Access</c> (admin unless set); an unknown value is refused.</summary>
    public static MetricsAccess ReadAccess(IConfiguration configuration)
    {
        string text = configuration["Metrics:Access"] ?? "admin";
        return text.ToLowerInvariant() switch
        {
            "admin" => MetricsAccess.Admin,
            "loopback" => MetricsAccess.Loopback,
            _ => throw new CommandLineException($"Unknown Metrics:Access '{text}': use admin or loopback."),
        };
    }

    /// <summary>Registers CityTwin's instruments and the OpenTelemetry meter provider with the Prometheus exporter.</summary>
    public static IServiceCollection AddTwinMetrics(this IServiceCollection services)
    {
        services.AddSingleton<TwinMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(TwinMetrics.OrleansMeterName, TwinMetrics.MeterName, "Microsoft.AspNetCore.Hosting");

            // Meters are found by name across the process, and forks, drills and test servers run hosts of their own in it
            // with meters of the same names; without this filter their instruments mixed with this server's, and series
            // went missing from /metrics once another host stopped. Only this host's meter factory's instruments count.
            ((IDeferredMeterProviderBuilder)metrics).Configure((provider, builder) =>
            {
                IMeterFactory own = provider.GetRequiredService<IMeterFactory>();
                builder.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop);
            });

            // Each scrape reads the instruments afresh: the endpoint is for a few trusted scrapers, and a cached answer would
            // hide what a request just did.
            metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
        });
        return services;
    }

    /// <summary>Maps the Prometheus scraping endpoint for the callers <paramref name="access"/> allows.</summary>
    public static IEndpointConventionBuilder MapMetricsEndpoint(this WebApplication app, MetricsAccess access)
    {
        // The observable instruments exist once TwinMetrics does; made here so the first scrape already has them.
        _ = app.Services.GetRequiredService<TwinMetrics>();
        IEndpointConventionBuilder endpoint = app.MapPrometheusScrapingEndpoint(Path).RequireRole(Role.Admin);
        return access == MetricsAccess.Loopback ? endpoint.WithMetadata(new LoopbackAccess()) : endpoint;
    }
}
