using CityTwin.Silo;
using CityTwin.TwinApi.Api;
using CityTwin.TwinApi.Auth;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

namespace CityTwin.TwinApi.Hosting;

/// <summary>Builds the CityTwin web server: the live silo, the HTTP API with problem details, and its configuration.</summary>
public static class TwinServer
{
    /// <summary>The address the server listens on unless configured otherwise (loopback: the demo profile is open to reads).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--store"] = "Store:Kind",
        ["--connection"] = "Store:ConnectionString",
        ["--district"] = "District:File",
    };

    /// <summary>Creates the application; <paramref name="configure"/> lets tests and the CLI adjust services first.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddSingleton(StoreConfiguration.Read(builder.Configuration));
        builder.Services.AddSingleton<SiloHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SiloHost>());
        builder.Services.AddProblemDetails();
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        builder.Services.AddSingleton<Ingest.TelemetryIngest>();
        builder.Services.AddSingleton<ISiloStartupTask, DistrictStartup>();
        builder.Services.AddOpenApi();
        builder.Services.AddTwinHub();
        builder.Services.AddScenarioRuns();
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusCodeFor });
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapOpenApi().AllowAnonymousAccess();
        app.MapHealthEndpoints();
        app.MapEntityEndpoints();
        app.MapVehicleEndpoints();
        app.MapSensorEndpoints();
        app.MapAreaEndpoints();
        app.MapAlertEndpoints();
        app.MapCaseEndpoints();
        app.MapKpiEndpoints();
        app.MapScenarioEndpoints();
        app.MapTelemetryEndpoints();
        app.MapModelEndpoints();
        app.MapTwinHub();
        return app;
    }

    /// <summary>Maps runtime exceptions to HTTP status codes for problem details.</summary>
    internal static int StatusCodeFor(Exception e) => e switch
    {
        BadHttpRequestException b => b.StatusCode,
        GrainOverloadedException => StatusCodes.Status503ServiceUnavailable,
        SiloUnavailableException => StatusCodes.Status503ServiceUnavailable,
        GrainCallTimeoutException => StatusCodes.Status504GatewayTimeout,
        CityTwin.Silo.Storage.InconsistentStateException => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };
}
