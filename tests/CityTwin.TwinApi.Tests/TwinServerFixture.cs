using CityTwin.Grains.Twin;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Ingest;
using CityTwin.TwinApi.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The real CityTwin server in this process on a free loopback port: memory store (see <see cref="StoreArgs"/>), a small generated district
/// (300 buildings, seed 7), real Kestrel, real silo. Clients carry API keys of each role.
/// </summary>
public class TwinServerFixture : IAsyncLifetime
{
    /// <summary>API keys configured for the tests.</summary>
    public const string ViewerKey = "test-viewer", OperatorKey = "test-operator", PlannerKey = "test-planner", AdminKey = "test-admin";

    /// <summary>The names the operator and planner keys are configured with (who acts in the audit trail); the viewer and admin keys have none.</summary>
    public const string OperatorName = "control-room", PlannerName = "planning-desk";

    private WebApplication? _app;

    /// <summary>Extra command-line arguments, for fixtures deriving from this one.</summary>
    protected virtual string[] ExtraArgs => [];

    /// <summary>Authentication settings: anonymous reads off and the test keys, unless a deriving fixture keeps the shipped ones.</summary>
    protected virtual string[] AuthArgs =>
    [
        "--Auth:AllowAnonymousRead", "false",
        $"--Auth:Keys:{ViewerKey}", "viewer",
        $"--Auth:Keys:{OperatorKey}", $"operator:{OperatorName}",
        $"--Auth:Keys:{PlannerKey}", $"planner:{PlannerName}",
        $"--Auth:Keys:{AdminKey}", "admin",
    ];

    /// <summary>The store the server runs on (memory unless a deriving fixture chooses SQLite or PostgreSQL).</summary>
    protected virtual string[] StoreArgs => ["--store", "memory"];

    /// <summary>Adjusts the server's builder before it is built (fixtures deriving from this one add services here).</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    /// <summary>The server's base address.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client with the operator key (may read and write).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>A client without a key.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>The live silo host.</summary>
    public SiloHost Host => _app!.Services.GetRequiredService<SiloHost>();

    /// <summary>The server's services (ingest paths, configuration).</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>References to the live silo's grains.</summary>
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>The live read model.</summary>
    public TwinDirectory Directory => Services.GetRequiredService<TwinDirectory>();

    /// <summary>The live silo's change feeds.</summary>
    public TwinFeeds Feeds => Services.GetRequiredService<TwinFeeds>();

    /// <summary>The live silo's alerts and warnings.</summary>
    public AlertBus Alerts => Services.GetRequiredService<AlertBus>();

    /// <summary>The live silo's geofences.</summary>
    public GeofenceRegistry Geofences => Services.GetRequiredService<GeofenceRegistry>();

    /// <summary>The live twin's event log.</summary>
    public IEventLog EventLog => Services.GetRequiredService<IEventLog>();

    /// <summary>The telemetry ingest path (its backlog of deferred readings).</summary>
    public TelemetryIngest Ingest => Services.GetRequiredService<TelemetryIngest>();

    /// <summary>A client sending <paramref name="key"/>.</summary>
    public HttpClient CreateClient(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        string[] args =
        [
            .. StoreArgs,
            "--urls", "http://127.0.0.1:0",
            "--District:Buildings", "300",
            "--District:Seed", "7",

            // The demo profile simulates traffic; tests send their own inputs (a fixture may turn it on in ExtraArgs).
            "--Simulation:Enabled", "false",
            .. AuthArgs,
            .. ExtraArgs,
        ];
        _app = await TwinServer.BuildAsync(args, b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            Configure(b);
        });
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        Client = CreateClient(OperatorKey);
        Anonymous = CreateClient(null);
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        Anonymous?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
