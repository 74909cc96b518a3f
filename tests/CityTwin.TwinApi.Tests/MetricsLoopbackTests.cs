using System.Net;

namespace CityTwin.TwinApi.Tests;

/// <summary>The real server with <c>Metrics:Access=loopback</c>: a scraper on the same host reads /metrics without a key.</summary>
public sealed class LoopbackMetricsServerFixture : TwinServerFixture
{
    /// <inheritdoc />
    protected override string[] ExtraArgs => ["--Metrics:Access", "loopback"];
}

/// <summary>GET /metrics under <c>Metrics:Access=loopback</c> (the tests connect over loopback).</summary>
public sealed class MetricsLoopbackTests(LoopbackMetricsServerFixture server) : IClassFixture<LoopbackMetricsServerFixture>
{
    [Fact]
    public async Task A_loopback_caller_reads_metrics_without_a_key_but_not_the_dashboard()
    {
        using HttpResponseMessage metrics = await server.Anonymous.GetAsync("metrics");
        using HttpResponseMessage dashboard = await server.Anonymous.GetAsync("dashboard/ClusterStats");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("citytwin_ingest_readings_total", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, dashboard.StatusCode);
    }
}
