using System.Net;
using System.Net.Http.Json;
using System.Text;
using CityTwin.Grains.Model;
using CityTwin.TwinApi.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The shipped defaults as a user meets them: anonymous reads are on (the loopback demo), yet every write still needs a
/// key, the physics model endpoints count as reads, and each shipped key acts with exactly its configured role.
/// </summary>
public sealed class ShippedDefaultsTests(ShippedAuthServerFixture server) : IClassFixture<ShippedAuthServerFixture>
{
    private AuthOptions Shipped => server.Services.GetRequiredService<IOptions<AuthOptions>>().Value;

    [Fact]
    public async Task Anonymous_reads_are_answered()
    {
        Assert.True(Shipped.AllowAnonymousRead, "appsettings.json ships with anonymous reads on");
        foreach (string path in new[] { "api/entities?type=building&pageSize=1", "api/cases", "api/alerts", "api/areas", "api/kpis" })
        {
            using HttpResponseMessage response = await server.Anonymous.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Anonymous_writes_are_401_problems_and_store_nothing()
    {
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).First();
        long logged = await server.Host.Store.EventLog.CountAsync();
        (HttpMethod Method, string Path, string Body)[] writes =
        [
            (HttpMethod.Post, "api/telemetry", $$"""[{"sensorId":"{{sensor.Id}}","value":1,"at":"{{DateTimeOffset.UtcNow:O}}"}]"""),
            (HttpMethod.Post, "api/vehicles/positions", """[{"vehicleId":"v-1","lon":104.06,"lat":30.66,"at":"2026-01-01T00:00:00Z"}]"""),
            (HttpMethod.Post, "api/cases", """{"category":"road-damage","location":{"lon":104.06,"lat":30.66}}"""),
            (HttpMethod.Post, "api/scenarios/runs", """{"stock":"gas-leak"}"""),
            (HttpMethod.Post, "api/scenarios/replays", """{"from":"2026-01-01T00:00:00Z","to":"2026-01-01T01:00:00Z"}"""),
            (HttpMethod.Delete, "api/scenarios/runs/any", ""),
        ];

        foreach ((HttpMethod method, string path, string body) in writes)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using HttpResponseMessage response = await server.Anonymous.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(logged, await server.Host.Store.EventLog.CountAsync());
    }

    [Fact]
    public async Task The_model_endpoints_are_reads_anyone_may_run_while_anonymous_reads_are_on()
    {
        using HttpResponseMessage runoff = await server.Anonymous.PostAsJsonAsync("api/models/scs-runoff", new { rainfallMm = 50, curveNumber = 80 });
        using HttpResponseMessage plume = await server.Anonymous.PostAsJsonAsync("api/models/gaussian-plume", new
        {
            sourceRateGps = 1, sourceHeightM = 10, windSpeedMps = 3, stability = "D", receptors = new[] { new { downwindM = 500, crosswindM = 0, heightM = 0 } },
        });

        Assert.Equal(HttpStatusCode.OK, runoff.StatusCode);
        Assert.Equal(HttpStatusCode.OK, plume.StatusCode);
    }

    [Fact]
    public async Task Each_shipped_key_acts_with_its_configured_role()
    {
        Assert.NotEmpty(Shipped.Keys);
        EntitySummary building = server.Directory.OfType(EntityType.Building).First();
        foreach ((string key, string roleName) in Shipped.Keys)
        {
            // A key's value is its role, optionally followed by ':' and the key's name.
            Role role = Enum.Parse<Role>(roleName.Split(':')[0], ignoreCase: true);
            using HttpClient client = server.CreateClient(key);
            using HttpResponseMessage write = await client.PostAsJsonAsync("api/cases", new { category = "road-damage", location = new { lon = building.Position.Lon, lat = building.Position.Lat } });
            using HttpResponseMessage metrics = await client.GetAsync("metrics");

            Assert.True(write.StatusCode == (role >= Role.Operator ? HttpStatusCode.Created : HttpStatusCode.Forbidden), $"{roleName} key writing a case: {(int)write.StatusCode}");
            Assert.True(metrics.StatusCode == (role >= Role.Admin ? HttpStatusCode.OK : HttpStatusCode.Forbidden), $"{roleName} key reading /metrics: {(int)metrics.StatusCode}");
        }

        using HttpClient stranger = server.CreateClient("not-a-shipped-key");
        using HttpResponseMessage unknown = await stranger.PostAsJsonAsync("api/cases", new { category = "noise", location = new { lon = 104.06, lat = 30.66 } });
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }
}
