using System.Net;
using System.Text;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Api;
using CityTwin.TwinApi.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans;

namespace CityTwin.TwinApi.Tests;

// Each test runs the real server (memory store, API keys, problem details) without the generated district: the test
// lays out a few vehicles and geofences in metres around central Chengdu, so every expectation is exact.
public sealed class VehicleEndpointsTests : IAsyncLifetime
{
    private const string OperatorKey = "op-key", ViewerKey = "viewer-key";
    private const int MaxBatch = 10;
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Origin = new(104.0657, 30.6595);

    private readonly UtmProjection _projection = UtmProjection.ForCentre(Origin);
    private WebApplication? _app;
    private HttpClient _client = null!;

    private IServiceProvider Services => _app!.Services;

    private TwinDirectory Directory => Services.GetRequiredService<TwinDirectory>();

    public async Task InitializeAsync()
    {
        string[] args =
        [
            "--store", "memory", "--urls", "http://127.0.0.1:0", "--Api:MaxBatchSize", $"{MaxBatch}",
            "--Auth:AllowAnonymousRead", "false", $"--Auth:Keys:{OperatorKey}", "operator", $"--Auth:Keys:{ViewerKey}", "viewer",
        ];
        _app = await TwinServer.BuildAsync(args, b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            b.Services.RemoveAll<ISiloStartupTask>();
        });

        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        _client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);

        Directory.Initialize(_projection);
        Services.GetRequiredService<GeofenceRegistry>().Load(
        [
            new GeofenceDefinition("site-1", GeofenceKind.ConstructionSite, "Site", At(0, 0), [At(-50, -50), At(50, -50), At(50, 50), At(-50, 50)], 0),
            new GeofenceDefinition("checkpoint-1", GeofenceKind.Checkpoint, "Checkpoint", At(1000, 0), null, 30),
        ], _projection);
        foreach ((string id, VehicleKind kind) in new[] { ("muck-1", VehicleKind.MuckTruck), ("patrol-1", VehicleKind.PatrolCar), ("patrol-2", VehicleKind.PatrolCar) })
        {
            await Services.GetRequiredService<IGrainFactory>().GetGrain<IVehicleGrain>(id).InitializeAsync(new VehicleDefinition(id, kind, $"川A{id}", At(-500, 0), "depot-1", null));
        }
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Accepted_positions_are_in_the_event_log_and_visible_to_the_next_query()
    {
        string body = $"[{Item("patrol-1", 0, 1200, 300, speed: 42)},{Item("patrol-2", 1, -800, 600)}]";

        using JsonDocument answer = await PostAsync(body, HttpStatusCode.Accepted);

        Assert.Equal(2, answer.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(0, answer.RootElement.GetProperty("rejected").GetInt32());
        Assert.Empty(answer.RootElement.GetProperty("errors").EnumerateArray());
        Assert.False(answer.RootElement.TryGetProperty("undelivered", out _));
        Assert.Contains(Directory.Near(EntityType.Vehicle, At(1200, 300), 5), h => h.Key == "patrol-1");
        Assert.Contains(Directory.Near(EntityType.Vehicle, At(-800, 600), 5), h => h.Key == "patrol-2");

        EventRecord logged = Assert.Single(await ReadLogAsync("patrol-1"));
        Assert.Equal(T0, logged.At);
        using JsonDocument payload = JsonDocument.Parse(logged.Payload);
        Assert.Equal(At(1200, 300).Lon, payload.RootElement.GetProperty("lon").GetDouble());
        Assert.Equal(At(1200, 300).Lat, payload.RootElement.GetProperty("lat").GetDouble());
        Assert.Equal(42, payload.RootElement.GetProperty("speedKmh").GetDouble());
    }

    [Fact]
    public async Task Invalid_items_are_rejected_by_index_and_the_valid_ones_still_apply()
    {
        GeoPoint p = At(300, 300);
        string lonLat = $"\"lon\":{p.Lon},\"lat\":{p.Lat}";
        string[] items =
        [
            Item("patrol-1", 0, 300, 300),
            $"{{\"vehicleId\":\"ghost-9\",{lonLat},\"at\":\"{T0:O}\"}}",
            $"{{\"vehicleId\":\"patrol-2\",\"lon\":\"NaN\",\"lat\":{p.Lat},\"at\":\"{T0:O}\"}}",
            $"{{\"vehicleId\":\"patrol-2\",\"lon\":181,\"lat\":{p.Lat},\"at\":\"{T0:O}\"}}",
            $"{{\"vehicleId\":\"patrol-2\",\"lon\":{p.Lon},\"lat\":-90.5,\"at\":\"{T0:O}\"}}",
            $"{{\"vehicleId\":\"patrol-2\",{lonLat}}}",
            $"{{\"vehicleId\":\"patrol-2\",{lonLat},\"at\":\"yesterday\"}}",
            "42",
        ];

        using JsonDocument answer = await PostAsync($"[{string.Join(',', items)}]", HttpStatusCode.Accepted);

        Assert.Equal(1, answer.RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(7, answer.RootElement.GetProperty("rejected").GetInt32());
        (int Index, string? Id, string Error)[] errors = answer.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("id").GetString(), e.GetProperty("error").GetString()!)).ToArray();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], errors.Select(e => e.Index));
        Assert.Equal("ghost-9", errors[0].Id);
        Assert.Contains("unknown vehicle", errors[0].Error, StringComparison.Ordinal);
        Assert.StartsWith("lon ", errors[1].Error, StringComparison.Ordinal);
        Assert.StartsWith("lon ", errors[2].Error, StringComparison.Ordinal);
        Assert.StartsWith("lat ", errors[3].Error, StringComparison.Ordinal);
        Assert.StartsWith("at ", errors[4].Error, StringComparison.Ordinal);
        Assert.StartsWith("at ", errors[5].Error, StringComparison.Ordinal);
        Assert.Null(errors[6].Id);

        Assert.Contains(Directory.Near(EntityType.Vehicle, p, 5), h => h.Key == "patrol-1");
        Assert.Contains(Directory.Near(EntityType.Vehicle, At(-500, 0), 5), h => h.Key == "patrol-2");
        Assert.Empty(await ReadLogAsync("patrol-2"));
        Assert.Empty(await ReadLogAsync("ghost-9"));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        using HttpResponseMessage response = await _client.PostAsync("api/vehicles/positions", new StringContent("[{\"vehicleId\":", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_batch_over_the_limit_is_a_413_and_nothing_is_applied()
    {
        string body = $"[{string.Join(',', Enumerable.Range(0, MaxBatch + 1).Select(i => Item("patrol-1", i, 10 * i, 0)))}]";

        using HttpResponseMessage response = await _client.PostAsync("api/vehicles/positions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await ReadLogAsync("patrol-1"));
        Assert.Contains(Directory.Near(EntityType.Vehicle, At(-500, 0), 5), h => h.Key == "patrol-1");
    }

    [Fact]
    public async Task A_viewer_may_read_trajectories_but_not_post_positions()
    {
        using var viewer = new HttpClient { BaseAddress = _client.BaseAddress };
        viewer.DefaultRequestHeaders.Add("X-Api-Key", ViewerKey);

        using HttpResponseMessage post = await viewer.PostAsync("api/vehicles/positions", new StringContent($"[{Item("patrol-1", 0, 0, 0)}]", Encoding.UTF8, "application/json"));
        using HttpResponseMessage get = await viewer.GetAsync("api/vehicles/patrol-1/trajectory");

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task The_trajectory_is_a_geojson_line_in_time_order_even_when_the_batch_was_not()
    {
        string body = $"[{Item("patrol-1", 2, 200, 0)},{Item("patrol-1", 0, 0, 0)},{Item("patrol-1", 3, 300, 0)},{Item("patrol-1", 1, 100, 0)}]";
        using (await PostAsync(body, HttpStatusCode.Accepted))
        {
        }

        using JsonDocument all = await GetJsonAsync("api/vehicles/patrol-1/trajectory");
        JsonElement feature = all.RootElement;
        Assert.Equal("Feature", feature.GetProperty("type").GetString());
        Assert.Equal("patrol-1", feature.GetProperty("id").GetString());
        Assert.Equal("LineString", feature.GetProperty("geometry").GetProperty("type").GetString());
        double[] eastings = feature.GetProperty("geometry").GetProperty("coordinates").EnumerateArray()
            .Select(c => _projection.Forward(new GeoPoint(c[0].GetDouble(), c[1].GetDouble())).X - _projection.Forward(Origin).X).ToArray();
        Assert.Equal([0, 100, 200, 300], eastings.Select(e => Math.Round(e, 3)));
        Assert.Equal(Enumerable.Range(0, 4).Select(m => T0.AddMinutes(m)),
            feature.GetProperty("properties").GetProperty("times").EnumerateArray().Select(t => DateTimeOffset.Parse(t.GetString()!, System.Globalization.CultureInfo.InvariantCulture)));

        using JsonDocument last2 = await GetJsonAsync("api/vehicles/patrol-1/trajectory?limit=2");
        Assert.Equal(2, last2.RootElement.GetProperty("properties").GetProperty("count").GetInt32());
        Assert.Equal(T0.AddMinutes(2), DateTimeOffset.Parse(last2.RootElement.GetProperty("properties").GetProperty("times")[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Trajectory_of_an_unknown_vehicle_is_404_and_a_bad_limit_is_400()
    {
        using HttpResponseMessage unknown = await _client.GetAsync("api/vehicles/ghost-9/trajectory");
        using HttpResponseMessage badLimit = await _client.GetAsync("api/vehicles/patrol-1/trajectory?limit=0");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task An_uncovered_muck_truck_reported_through_the_api_raises_a_violation_at_the_checkpoint()
    {
        string body = $"[{Item("muck-1", 0, 0, 0)},{Item("muck-1", 1, 500, 0, covered: false)},{Item("muck-1", 2, 1000, 0, covered: false)}]";

        using (await PostAsync(body, HttpStatusCode.Accepted))
        {
        }

        Alert violation = Assert.Single(Services.GetRequiredService<AlertBus>().Recent(a => a.Kind == MuckTruckRules.ViolationKind));
        Assert.Equal("muck-1", violation.EntityId);
        Assert.Equal("site-1", violation.Details!["siteId"]);
        Assert.Equal("3", violation.Details["trajectoryPoints"]);
    }

    private GeoPoint At(double east, double north)
    {
        ProjectedPoint o = _projection.Forward(Origin);
        return _projection.Inverse(new ProjectedPoint(o.X + east, o.Y + north));
    }

    private string Item(string id, int minute, double east, double north, double? speed = null, bool? covered = null)
    {
        GeoPoint p = At(east, north);
        var item = new Dictionary<string, object?> { ["vehicleId"] = id, ["lon"] = p.Lon, ["lat"] = p.Lat, ["at"] = T0.AddMinutes(minute).ToString("O") };
        if (speed is not null)
        {
            item["speedKmh"] = speed;
        }

        if (covered is not null)
        {
            item["covered"] = covered;
        }

        return JsonSerializer.Serialize(item);
    }

    private async Task<JsonDocument> PostAsync(string body, HttpStatusCode expected)
    {
        using HttpResponseMessage response = await _client.PostAsync("api/vehicles/positions", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await _client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }

    private async Task<List<EventRecord>> ReadLogAsync(string vehicleId)
    {
        var records = new List<EventRecord>();
        await foreach (EventRecord e in _app!.Services.GetRequiredService<SiloHost>().Store.EventLog.ReadAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, "position", vehicleId))
        {
            records.Add(e);
        }

        return records;
    }
}
