using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using CityTwin.TwinApi.Hosting;
using Orleans.Runtime;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// GET /metrics (Prometheus text: Orleans' meter and CityTwin's) and Orleans' dashboard at /dashboard, on the real server.
/// The other test classes' servers run beside it in this process with meters of the same names, so the exact counts here
/// also check that /metrics reports only its own host's instruments.
/// </summary>
public sealed class MetricsTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Fact]
    public async Task Metrics_show_Orleans_activations_and_count_each_accepted_reading_once()
    {
        using HttpClient admin = server.CreateClient(TwinServerFixture.AdminKey);
        string before = await ScrapeAsync(admin);
        EntitySummary[] sensors = server.Directory.OfType(EntityType.Sensor).Where(s => s.Kind == nameof(SensorKind.Rain)).Take(3).ToArray();
        object[] batch =
        [
            .. sensors.Select(s => new { sensorId = s.Id, value = 0.5, at = "2026-06-01T08:00:00Z" }),
            new { sensorId = sensors[0].Id, value = 0.7, at = "2026-06-01T08:01:00Z" },
            new { sensorId = "no-such-sensor", value = 1.0, at = "2026-06-01T08:00:00Z" },
        ];

        using HttpResponseMessage post = await server.Client.PostAsJsonAsync("api/telemetry", batch);
        string after = await ScrapeAsync(admin);

        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        Assert.Equal(4, Value(after, "citytwin_ingest_readings_total") - Value(before, "citytwin_ingest_readings_total"));
        Assert.Equal(4, Value(after, "citytwin_eventlog_appends_total") - Value(before, "citytwin_eventlog_appends_total"));
        Assert.Equal(0, Value(after, "citytwin_ingest_backlog"));

        // Loading activates no entity grain (they activate on first use): the batch's sensors are active now, and the
        // gauge counts exactly what Orleans' management grain lists.
        List<GrainId> active = await server.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(GrainType.Create("sensor"));
        Assert.All(sensors, s => Assert.Contains(GrainId.Create("sensor", s.Id), active));
        Assert.Equal(active.Count, Value(after, "orleans_catalog_activations{grain_type=\"sensor\""));
    }

    [Fact]
    public async Task Each_query_is_timed_once_under_its_endpoint_name()
    {
        using HttpClient admin = server.CreateClient(TwinServerFixture.AdminKey);
        const string series = "citytwin_query_duration_seconds_count{citytwin_query=\"GetAreas\",http_response_status_code=\"200\"";
        double before = Value(await ScrapeAsync(admin), series, missingIsZero: true);

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage areas = await server.Client.GetAsync("api/areas");
            Assert.Equal(HttpStatusCode.OK, areas.StatusCode);
        }

        using HttpResponseMessage refused = await server.Anonymous.GetAsync("api/areas");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(3, Value(await ScrapeAsync(admin), series) - before);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(TwinServerFixture.ViewerKey, HttpStatusCode.Forbidden)]
    [InlineData(TwinServerFixture.PlannerKey, HttpStatusCode.Forbidden)]
    [InlineData("not-a-key", HttpStatusCode.Unauthorized)]
    public async Task Metrics_are_refused_to_callers_without_the_admin_role(string? key, HttpStatusCode expected)
    {
        using HttpClient client = server.CreateClient(key);
        using HttpResponseMessage response = await client.GetAsync("metrics");

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("orleans_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_may_send_the_admin_key_as_basic_credentials()
    {
        using HttpClient scraper = server.CreateClient(null);
        scraper.DefaultRequestHeaders.Authorization = Basic("prometheus", TwinServerFixture.AdminKey);

        using HttpResponseMessage response = await scraper.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("citytwin_ingest_readings_total", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_answers_admins()
    {
        using HttpClient admin = server.CreateClient(TwinServerFixture.AdminKey);
        using HttpResponseMessage page = await admin.GetAsync("dashboard/");
        using HttpResponseMessage stats = await admin.GetAsync("dashboard/ClusterStats");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal("application/json", stats.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_browser_is_asked_for_the_dashboard_key_and_then_sends_it_with_the_pages_own_requests()
    {
        using HttpResponseMessage challenge = await server.Anonymous.GetAsync("dashboard/ClusterStats");
        using HttpClient browser = server.CreateClient(null);
        browser.DefaultRequestHeaders.Authorization = Basic("anyone", TwinServerFixture.AdminKey);
        using HttpResponseMessage signedIn = await browser.GetAsync("dashboard/ClusterStats");

        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal("Basic", challenge.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [Theory]
    [InlineData(TwinServerFixture.ViewerKey)]
    [InlineData(TwinServerFixture.OperatorKey)]
    [InlineData(TwinServerFixture.PlannerKey)]
    public async Task The_dashboard_is_refused_to_other_roles(string key)
    {
        using HttpClient client = server.CreateClient(key);
        using HttpResponseMessage page = await client.GetAsync("dashboard/");
        using HttpResponseMessage stats = await client.GetAsync("dashboard/ClusterStats");
        using HttpClient basic = server.CreateClient(null);
        basic.DefaultRequestHeaders.Authorization = Basic("anyone", key);
        using HttpResponseMessage basicStats = await basic.GetAsync("dashboard/ClusterStats");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, stats.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, basicStats.StatusCode);
    }

    [Fact]
    public async Task An_unknown_metrics_access_setting_is_refused_before_the_store_opens()
    {
        CommandLineException e = await Assert.ThrowsAsync<CommandLineException>(() =>
            TwinServer.BuildAsync(["--store", "memory", "--urls", "http://127.0.0.1:0", "--Metrics:Access", "everyone"]));
        Assert.Contains("Metrics:Access 'everyone'", e.Message, StringComparison.Ordinal);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using HttpResponseMessage response = await client.GetAsync("metrics");
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics -> {(int)response.StatusCode}: {text}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return text;
    }

    /// <summary>
    /// The value of the one sample whose name (and, if <paramref name="series"/> has them, first labels) match; a series
    /// reported twice would be a meter counted twice, so it fails.
    /// </summary>
    private static double Value(string exposition, string series, bool missingIsZero = false)
    {
        string name = series.Split('{')[0];
        string labels = series.Contains('{') ? series[(series.IndexOf('{') + 1)..] : "";
        var pattern = new Regex($"^{Regex.Escape(name)}(?:\\{{(?<labels>[^}}]*)\\}})? (?<value>\\S+)", RegexOptions.Multiline);
        string[] values = pattern.Matches(exposition)
            .Where(m => m.Groups["labels"].Value.StartsWith(labels, StringComparison.Ordinal) || m.Groups["labels"].Value.Contains("," + labels, StringComparison.Ordinal))
            .Select(m => m.Groups["value"].Value).ToArray();
        if (values.Length == 0 && missingIsZero)
        {
            return 0;
        }

        Assert.True(values.Length == 1, $"{series}: expected one sample, found {values.Length} in\n{exposition}");
        return double.Parse(values[0], CultureInfo.InvariantCulture);
    }
}
