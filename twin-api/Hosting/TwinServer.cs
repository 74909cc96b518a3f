using CityTwin.Grains.Cluster;
using CityTwin.Grains.Json;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Loading;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using CityTwin.TwinApi.Api;
using CityTwin.TwinApi.Auth;
using CityTwin.TwinApi.Metrics;
using CityTwin.TwinApi.Simulation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Orleans.Dashboard;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// Builds the CityTwin web server: the store, the live Orleans silo on the web host (configured by
/// <see cref="SiloSetup.UseCityTwin"/>, the twin's grains and services; one silo, or with <c>--cluster</c> one silo of a
/// cluster on the PostgreSQL store), the HTTP API with problem details, and its configuration.
/// </summary>
public static class TwinServer
{
    /// <summary>The address the server listens on unless configured otherwise (loopback: the demo profile is open to reads).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Where Orleans' dashboard is mounted.</summary>
    public const string DashboardPath = "/dashboard";

    /// <summary>
    /// Checks the settings, opens the store (creating or migrating its schema) and creates the application;
    /// <paramref name="configure"/> lets tests and the CLI adjust services first. A setting that is unknown, does not parse
    /// or is out of range fails here with <see cref="CommandLineException"/>, before anything is opened; a store that
    /// cannot be opened or a silo port in use fails here too (<see cref="InvalidOperationException"/>), with a message that says which.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, ServerSettings.Switches);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(RequestHeadLimits.ConfigureKestrel);
        StoreOptions storeOptions = StoreConfiguration.Read(builder.Configuration);
        SiloOptions siloOptions = ServerSettings.Check(builder.Configuration);
        SiloClusterOptions clusterOptions = ServerSettings.CheckCluster(builder.Configuration, storeOptions.Kind, siloOptions);
        ServerSettings.CheckDistrictFile(builder.Configuration);
        SiloSetup.CheckPortsFree(siloOptions, clusterOptions);
        MetricsAccess metricsAccess = MetricsEndpoint.ReadAccess(builder.Configuration);
        bool dashboard = builder.Configuration.GetSection(ApiOptions.Section).GetValue(nameof(ApiOptions.Dashboard), true);
        AuthOptions authOptions = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var apiKeys = new ApiKeys(authOptions);
        DemoProfileGuard.Check(builder.Configuration, authOptions, apiKeys);
        builder.Services.AddSingleton(apiKeys);
        builder.Services.AddServerSettings();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Overload, an unavailable silo and an unreachable database are passing states: tell the client when to retry.
            if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable)
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
            }
        });
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            o.SerializerOptions.AllowDuplicateProperties = false;
            TwinJson.Configure(o.SerializerOptions);
        });
        builder.Services.AddSingleton<Ingest.TelemetryIngest>();
        builder.Services.AddSingleton(sp => new Load.StateWriteCounter(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddSingleton<ISiloStartupTask, DistrictStartup>();
        builder.Services.AddOpenApi();

        // The map's layers (a few MB of GeoJSON) and its libraries shrink 5-10x; the API's small JSON answers and the
        // hub's WebSocket frames are left as they are. Fastest levels: on two cores the CPU matters more than bytes.
        builder.Services.AddResponseCompression(o =>
        {
            o.MimeTypes = ["application/geo+json", "text/javascript", "text/css", "text/html"];
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
        });
        builder.Services.Configure<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        builder.Services.Configure<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);
        builder.Services.AddTwinHub();
        builder.Services.AddScenarioRuns();
        builder.Services.AddTwinMetrics();
        configure?.Invoke(builder);

        SiloStore store = await SiloStore.OpenAsync(storeOptions);
        try
        {
            // Registered before the silo so that it stops after it: the last state writes land before the store closes.
            builder.Services.AddHostedService(_ => new StoreLifetime(store));
            builder.Services.AddSingleton(new StartupGate(store));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<StartupGate>());
            builder.UseOrleans(silo =>
            {
                silo.UseCityTwin(store, siloOptions, cluster: clusterOptions).AddTwin();
                if (dashboard)
                {
                    silo.AddDashboard();
                }
            });
            builder.Services.AddSingleton<IInputReplay, TwinRecoveryReplay>();
            builder.Services.AddSingleton<SiloHost>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SiloHost>());

            // After the silo, so that it stops first: no simulated input arrives while the silo writes its last states.
            builder.Services.AddSingleton<TwinSimulator>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<TwinSimulator>());
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }

        WebApplication app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusCodeFor });
        app.UseStatusCodePages();
        app.UseMiddleware<RequestHeadMiddleware>();
        app.UseResponseCompression();
        app.UseRouting();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<QueryTimingMiddleware>();
        app.MapOpenApi().AllowAnonymousAccess();
        app.MapMetricsEndpoint(metricsAccess);

        // Orleans' dashboard, for admins only; its page's own requests carry no key, so a browser is asked for it once.
        if (dashboard)
        {
            app.MapOrleansDashboard(DashboardPath).RequireRole(Role.Admin).WithMetadata(new BrowserSignIn());
        }

        app.MapHealthEndpoints();
        app.MapEntityEndpoints();
        app.MapVehicleEndpoints();
        app.MapSensorEndpoints();
        app.MapAreaEndpoints();
        app.MapAlertEndpoints();
        app.MapCaseEndpoints();
        app.MapKpiEndpoints();
        app.MapMapEndpoints();
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
        Orleans.Runtime.LimitExceededException => StatusCodes.Status503ServiceUnavailable,
        Orleans.Runtime.SiloUnavailableException => StatusCodes.Status503ServiceUnavailable,
        Orleans.Runtime.OrleansMessageRejectionException => StatusCodes.Status503ServiceUnavailable,

        // The database stopped or unreachable: nothing of the request was acknowledged, and a retry may succeed.
        _ when StoreOutage.Is(e) => StatusCodes.Status503ServiceUnavailable,
        TimeoutException => StatusCodes.Status504GatewayTimeout,
        Orleans.Storage.InconsistentStateException => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };
}
