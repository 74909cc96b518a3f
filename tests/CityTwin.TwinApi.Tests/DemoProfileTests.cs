using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.TestSupport;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The real executable listening on every interface (0.0.0.0) starts only without the demo profile or with the named
/// option that allows it; the refusals are in <see cref="CliTests"/>. Without the profile, only the operator's own keys
/// work and anonymous callers learn nothing but the status.
/// </summary>
public sealed class DemoProfileTests
{
    private const string OwnKey = "own-admin-key-5c1f";

    [Fact]
    public async Task Off_loopback_with_its_own_keys_the_server_starts_and_the_demo_keys_and_anonymous_reads_are_refused()
    {
        using var dir = new TempDirectory();
        await using ServerProcess server = await ServerProcess.StartAsync(dir.Path, "0.0.0.0", OwnKey,
            "--store", "memory", "--District:Buildings", "50", "--Auth:DemoKeys", "false", "--Auth:AllowAnonymousRead", "false", $"--Auth:Keys:{OwnKey}", "admin:ops");
        using var anonymous = new HttpClient { BaseAddress = server.Address };
        using var demo = new HttpClient { BaseAddress = server.Address };
        demo.DefaultRequestHeaders.Add("X-Api-Key", "demo-admin-key");

        using HttpResponseMessage own = await server.Client.GetAsync("api/areas");
        using HttpResponseMessage demoRead = await demo.GetAsync("api/areas");
        using HttpResponseMessage anonymousRead = await anonymous.GetAsync("api/areas");
        JsonElement health = await anonymous.GetFromJsonAsync<JsonElement>("health");
        JsonElement fullHealth = await server.Client.GetFromJsonAsync<JsonElement>("health");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, demoRead.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousRead.StatusCode);
        Assert.Equal(["status"], health.EnumerateObject().Select(p => p.Name));
        Assert.True(fullHealth.TryGetProperty("store", out _) && fullHealth.TryGetProperty("version", out _));
    }

    [Fact]
    public async Task Off_loopback_the_demo_profile_starts_when_the_named_option_allows_it()
    {
        using var dir = new TempDirectory();
        await using ServerProcess server = await ServerProcess.StartAsync(dir.Path, "0.0.0.0", "demo-viewer-key",
            "--store", "memory", "--District:Buildings", "50", "--Auth:AllowDemoOffLoopback", "true");

        using HttpResponseMessage read = await server.Client.GetAsync("api/scenarios/stock");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }
}
