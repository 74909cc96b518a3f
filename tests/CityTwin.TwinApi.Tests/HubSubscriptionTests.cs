using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The hub at /hubs/twin over a real WebSocket (Microsoft's SignalR .NET client) against the real server: what a subscription by area, box, type and
/// channel receives, unsubscribing, and the errors a bad subscription gets. Negative checks are ordered: the unwanted
/// item is published before a wanted one, and pushes to a connection keep publication order, so once the wanted one
/// has arrived the unwanted one would have too.
/// </summary>
public sealed class HubSubscriptionTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AreaSubscriptionReceivesOnlyAlertsOfThatArea()
    {
        (EntitySummary a, EntitySummary b) = TwoCommunitiesInDifferentStreets();
        await using HubListener byCommunity = await ConnectAsync();
        await using HubListener byStreet = await ConnectAsync();
        await using HubListener district = await ConnectAsync();
        await byCommunity.SubscribeAsync(new { areaId = a.Id });
        await byStreet.SubscribeAsync(new { areaId = a.ParentId });
        await district.SubscribeAsync(new { areaId = "district" });

        Alert inB = AlertIn(b, "alert");
        Alert inA = AlertIn(a, "alert");
        await PublishAsync(inB);
        await PublishAsync(inA);

        HubListener.Push got = await byCommunity.WaitForPushAsync(IsAlert(inA), $"for the alert in {a.Id}", Wait);
        await byStreet.WaitForPushAsync(IsAlert(inA), $"for the alert in {a.Id} on its street {a.ParentId}", Wait);
        await district.WaitForPushAsync(IsAlert(inA), "for the alert on the district subscription", Wait);
        Assert.DoesNotContain(byCommunity.Pushes, IsAlert(inB));
        Assert.DoesNotContain(byStreet.Pushes, IsAlert(inB));
        Assert.Contains(district.Pushes, IsAlert(inB));

        // The payload is the alert as camelCase JSON with readable enums and a [lon, lat] position.
        Assert.Equal("alert", got.Method);
        JsonElement alert = got.Argument;
        Assert.Equal(a.Id, alert.GetProperty("communityId").GetString());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal("sensor", alert.GetProperty("entityType").GetString());
        Assert.Equal(inA.Position.Lon, alert.GetProperty("position")[0].GetDouble());
        Assert.Equal(inA.Position.Lat, alert.GetProperty("position")[1].GetDouble());
        Assert.Equal(inA.Message, alert.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AreaSubscriptionMatchesEntityChangesByTheirAreaIds()
    {
        (EntitySummary a, EntitySummary b) = TwoCommunitiesInDifferentStreets();
        await using HubListener client = await ConnectAsync();
        await client.SubscribeAsync(new { areaId = a.Id, channels = new[] { "entityChanged" } });

        EntitySummary outside = SensorIn(b, 1);
        EntitySummary inside = SensorIn(a, 2);
        await PublishAsync(outside);
        await PublishAsync(inside);

        await client.WaitForPushAsync(IsEntity(inside.Id), $"entityChanged for {inside.Id}", Wait);
        Assert.DoesNotContain(client.Pushes, IsEntity(outside.Id));
        Assert.All(client.Pushes, p => Assert.Equal("entityChanged", p.Method));
    }

    [Fact]
    public async Task ItemWithoutAreaIdsIsMatchedByTheAreasOutline()
    {
        (EntitySummary a, EntitySummary b) = TwoCommunitiesInDifferentStreets();
        await using HubListener client = await ConnectAsync();
        await client.SubscribeAsync(new { areaId = a.Id });

        // A vehicle or gauge alert may carry only a position: the area's polygon decides.
        Alert inB = AlertIn(b, "alert") with { CommunityId = null, StreetId = null };
        Alert inA = AlertIn(a, "alert") with { CommunityId = null, StreetId = null };
        await PublishAsync(inB);
        await PublishAsync(inA);

        await client.WaitForPushAsync(IsAlert(inA), $"for the alert positioned in {a.Id}", Wait);
        Assert.DoesNotContain(client.Pushes, IsAlert(inB));
    }

    [Fact]
    public async Task BoxSubscriptionReceivesOnlyItemsInsideTheBox()
    {
        (EntitySummary a, _) = TwoCommunitiesInDifferentStreets();
        GeoPoint centre = a.Position;
        await using HubListener client = await ConnectAsync();
        await client.SubscribeAsync(new { bbox = new[] { centre.Lon - 0.001, centre.Lat - 0.001, centre.Lon + 0.001, centre.Lat + 0.001 } });

        // Same community, so only the box tells them apart.
        Alert outside = AlertIn(a, "alert") with { Position = new GeoPoint(centre.Lon + 0.003, centre.Lat) };
        Alert inside = AlertIn(a, "alert") with { Position = new GeoPoint(centre.Lon + 0.0005, centre.Lat - 0.0005) };
        await PublishAsync(outside);
        await PublishAsync(inside);

        await client.WaitForPushAsync(IsAlert(inside), "for the alert inside the box", Wait);
        Assert.DoesNotContain(client.Pushes, IsAlert(outside));
    }

    [Fact]
    public async Task TypeSubscriptionReceivesOnlyThoseTypes()
    {
        (EntitySummary a, _) = TwoCommunitiesInDifferentStreets();
        await using HubListener client = await ConnectAsync();
        await client.SubscribeAsync(new { areaId = a.Id, types = new[] { "sensor" } });

        Alert buildingAlert = AlertIn(a, "alert") with { EntityType = EntityType.Building, EntityId = "building-test" };
        EntitySummary building = SensorIn(a, 5) with { Type = EntityType.Building, Kind = "residential" };
        Alert sensorAlert = AlertIn(a, "alert");
        EntitySummary sensor = SensorIn(a, 6);
        await PublishAsync(buildingAlert);
        await PublishAsync(building);
        await PublishAsync(sensorAlert);
        await PublishAsync(sensor);

        await client.WaitForPushAsync(IsAlert(sensorAlert), "for the sensor alert", Wait);
        await client.WaitForPushAsync(IsEntity(sensor.Id), "for the sensor change", Wait);
        Assert.DoesNotContain(client.Pushes, IsAlert(buildingAlert));
        Assert.DoesNotContain(client.Pushes, IsEntity(building.Id));
    }

    [Fact]
    public async Task WarningsAndAlertsArriveOnTheirOwnChannels()
    {
        (EntitySummary a, _) = TwoCommunitiesInDifferentStreets();
        await using HubListener warningsOnly = await ConnectAsync();
        await using HubListener everything = await ConnectAsync();
        await warningsOnly.SubscribeAsync(new { channels = new[] { "warning" } });
        await everything.SubscribeAsync(new { areaId = a.Id });

        Alert alert = AlertIn(a, "alert");
        Alert warning = AlertIn(a, "warning") with { Kind = "riverTier", Severity = AlertSeverity.Warning };
        await PublishAsync(alert);
        await PublishAsync(warning);

        HubListener.Push pushed = await warningsOnly.WaitForPushAsync(IsAlert(warning), "for the warning", Wait);
        Assert.Equal("warning", pushed.Method);
        Assert.DoesNotContain(warningsOnly.Pushes, IsAlert(alert));
        Assert.Equal("alert", (await everything.WaitForPushAsync(IsAlert(alert), "for the alert", Wait)).Method);
        Assert.Equal("warning", (await everything.WaitForPushAsync(IsAlert(warning), "for the warning", Wait)).Method);
    }

    [Fact]
    public async Task OverlappingSubscriptionsDeliverAnItemOnce()
    {
        (EntitySummary a, _) = TwoCommunitiesInDifferentStreets();
        await using HubListener client = await ConnectAsync();
        await client.SubscribeAsync(new { areaId = a.Id });
        await client.SubscribeAsync(new { areaId = a.ParentId });
        await client.SubscribeAsync(new { });

        Alert first = AlertIn(a, "alert");
        Alert second = AlertIn(a, "alert");
        await PublishAsync(first);
        await PublishAsync(second);

        await client.WaitForPushAsync(IsAlert(second), "for the second alert", Wait);
        Assert.Single(client.Pushes, IsAlert(first));
        Assert.Single(client.Pushes, IsAlert(second));
    }

    [Fact]
    public async Task UnsubscribeStopsThatSubscriptionsPushes()
    {
        (EntitySummary a, EntitySummary b) = TwoCommunitiesInDifferentStreets();
        await using HubListener client = await ConnectAsync();
        string inA = await client.SubscribeAsync(new { areaId = a.Id });
        await client.SubscribeAsync(new { areaId = b.Id });

        Alert before = AlertIn(a, "alert");
        await PublishAsync(before);
        await client.WaitForPushAsync(IsAlert(before), "before unsubscribing", Wait);

        await client.CallAsync("Unsubscribe", inA);
        Alert after = AlertIn(a, "alert");
        Alert marker = AlertIn(b, "alert");
        await PublishAsync(after);
        await PublishAsync(marker);

        await client.WaitForPushAsync(IsAlert(marker), "on the remaining subscription", Wait);
        Assert.DoesNotContain(client.Pushes, IsAlert(after));

        var twice = await Assert.ThrowsAsync<HubException>(() => client.CallAsync("Unsubscribe", inA));
        Assert.Contains($"no subscription '{inA}'", twice.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"bbox":[104.0,30.6,104.1]}""", "bbox must be [minLon, minLat, maxLon, maxLat]")]
    [InlineData("""{"bbox":"104,30,105,31"}""", "bbox must be [minLon, minLat, maxLon, maxLat]")]
    [InlineData("""{"bbox":[104.0,"x",104.1,30.7]}""", "item 1 is not a number")]
    [InlineData("""{"bbox":[104.1,30.6,104.0,30.7]}""", "a minimum exceeds its maximum")]
    [InlineData("""{"bbox":[104.0,30.6,104.1,95]}""", "out of range")]
    [InlineData("""{"areaId":"nowhere-7"}""", "Unknown area 'nowhere-7'")]
    [InlineData("""{"areaId":42}""", "areaId must be an area id")]
    [InlineData("""{"types":["sensor","spaceship"]}""", "Unknown entity type 'spaceship'")]
    [InlineData("""{"types":[]}""", "types must be a non-empty array")]
    [InlineData("""{"channels":["alert","gossip"]}""", "Unknown channel 'gossip'")]
    [InlineData("""{"area":"community-1-1"}""", "Unknown subscription field 'area'")]
    [InlineData("""[1,2,3]""", "Subscribe expects one object")]
    public async Task BadSubscriptionIsAnErrorNamingTheProblem(string request, string expected)
    {
        await using HubListener client = await ConnectAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync(JsonDocument.Parse(request).RootElement));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);

        // The connection survives the error and a good subscription still works on it.
        Assert.StartsWith("sub-", await client.SubscribeAsync(new { areaId = "district" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubNeedsAnApiKeyWhenReadsDo()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => HubListener.ConnectAsync(server.BaseAddress, key: null));
        Assert.Contains("401", refused.ToString(), StringComparison.Ordinal);

        await using HubListener viewer = await HubListener.ConnectAsync(server.BaseAddress, TwinServerFixture.ViewerKey);
        Assert.StartsWith("sub-", await viewer.SubscribeAsync(null), StringComparison.Ordinal);
    }

    private Task<HubListener> ConnectAsync() => HubListener.ConnectAsync(server.BaseAddress, TwinServerFixture.ViewerKey);

    private Task PublishAsync(Alert alert) => server.Alerts.PublishAsync(alert);

    // Straight onto the change feed rather than through the directory, so the shared district's read model stays as loaded.
    private Task PublishAsync(EntitySummary summary)
    {
        server.Feeds.EntityChanges.Publish(summary);
        return Task.CompletedTask;
    }

    private (EntitySummary A, EntitySummary B) TwoCommunitiesInDifferentStreets()
    {
        EntitySummary[] communities = server.Directory.OfType(EntityType.Area)
            .Where(s => s.Id.StartsWith("community-", StringComparison.Ordinal))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToArray();
        EntitySummary a = communities.First();
        EntitySummary b = communities.First(c => c.ParentId != a.ParentId);
        return (a, b);
    }

    private static Alert AlertIn(EntitySummary community, string channel) => new(
        Id: "alert-" + Guid.NewGuid().ToString("N"),
        Channel: channel,
        Kind: "gas",
        Severity: AlertSeverity.Critical,
        Message: $"Gas over threshold in {community.Id} ({Guid.NewGuid():N})",
        EntityType: EntityType.Sensor,
        EntityId: "sensor-test",
        Position: community.Position,
        At: DateTimeOffset.UtcNow,
        BuildingId: null,
        GridId: null,
        CommunityId: community.Id,
        StreetId: community.ParentId,
        Recipients: []);

    private static EntitySummary SensorIn(EntitySummary community, double value) =>
        new("sensor-test-" + Guid.NewGuid().ToString("N"), EntityType.Sensor, "gas", null, "alarm", community.Position, DateTimeOffset.UtcNow)
        {
            CommunityId = community.Id,
            StreetId = community.ParentId,
            Value = value,
            Unit = "%LEL",
        };

    private static Predicate<HubListener.Push> IsAlert(Alert alert) =>
        p => p.Method is "alert" or "warning" && p.Argument.GetProperty("id").GetString() == alert.Id;

    private static Predicate<HubListener.Push> IsEntity(string id) =>
        p => p.Method == "entityChanged" && p.Argument.GetProperty("id").GetString() == id;
}
