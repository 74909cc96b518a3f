using System.Net;

namespace CityTwin.TwinApi.Tests;

/// <summary>The real server with <c>Api:Dashboard=false</c>.</summary>
public sealed class DashboardOffServerFixture : TwinServerFixture
{
    /// <inheritdoc />
    protected override string[] ExtraArgs => ["--Api:Dashboard", "false"];
}

/// <summary>Without Orleans' dashboard, /dashboard is not found even for admins, and /metrics still answers.</summary>
public sealed class DashboardOffTests(DashboardOffServerFixture server) : IClassFixture<DashboardOffServerFixture>
{
    [Fact]
    public async Task Without_the_dashboard_its_path_is_not_found_and_metrics_still_answer()
    {
        using HttpClient admin = server.CreateClient(TwinServerFixture.AdminKey);
        using HttpResponseMessage stats = await admin.GetAsync("dashboard/ClusterStats");
        using HttpResponseMessage metrics = await admin.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.NotFound, stats.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("orleans", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
