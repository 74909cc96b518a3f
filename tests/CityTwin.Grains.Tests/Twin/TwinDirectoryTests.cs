using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.Feed;
using Microsoft.Extensions.Logging.Abstractions;

namespace CityTwin.Grains.Tests.Twin;

/// <summary>The read model on its own: what queries see after upserts that change values, positions and owners.</summary>
public sealed class TwinDirectoryTests
{
    private static readonly GeoPoint Centre = new(104.0657, 30.6595);
    private static readonly DateTimeOffset Now = new(2026, 7, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly UtmProjection _utm = UtmProjection.ForCentre(Centre);

    // The read model needs no silo: it is a plain service over the silo's feeds.
    public TwinDirectoryTests()
    {
        Directory = new TwinDirectory(new TwinFeeds(new ChangeFeeds(new SiloOptions(), NullLoggerFactory.Instance)));
        Directory.Initialize(_utm);
    }

    private TwinDirectory Directory { get; }

    [Fact]
    public void A_new_value_is_what_the_next_query_sees()
    {
        Directory.Upsert(Sensor("s1", "b1", 0, 10) with { Value = 1.5 }, publish: false);
        Directory.Upsert(Sensor("s1", "b1", 0, 10) with { Value = 7.25, Status = "alarm" }, publish: false);

        var visitor = new Summaries([]);
        Directory.Near(EntityType.Sensor, Centre, 50, ref visitor);

        EntitySummary seen = Assert.Single(visitor.Seen);
        Assert.Equal(7.25, seen.Value);
        Assert.Equal("alarm", seen.Status);
        Assert.Equal(7.25, Directory.Get("s1")!.Value);
    }

    [Fact]
    public void A_moved_entity_is_found_at_its_new_position_only()
    {
        Directory.Upsert(Sensor("s1", "b1", 0, 0), publish: false);
        Directory.Upsert(Sensor("s1", "b1", 2_000, 0), publish: false);

        Assert.Empty(Directory.Near(EntityType.Sensor, Centre, 100));
        SpatialHit<string> hit = Assert.Single(Directory.Near(EntityType.Sensor, At(2_000, 0), 100));
        Assert.Equal("s1", hit.Key);
    }

    [Fact]
    public void Near_lists_the_nearest_first_whatever_the_order_of_insertion()
    {
        // Dispatch takes the first able unit of this list and a case's cell is the first hit: both need the order.
        double[] eastM = [900, 40, 600, 0, 250, 1_400, 75];
        for (int i = 0; i < eastM.Length; i++)
        {
            Directory.Upsert(Sensor($"s{i}", "b1", eastM[i], 0), publish: false);
        }

        List<SpatialHit<string>> hits = Directory.Near(EntityType.Sensor, Centre, 1_000);

        Assert.Equal(["s3", "s1", "s6", "s4", "s2", "s0"], hits.Select(h => h.Key));
        Assert.Equal(hits.Select(h => h.DistanceMetres).Order(), hits.Select(h => h.DistanceMetres));
    }

    [Fact]
    public void Membership_follows_a_change_of_owner_and_keeps_relations_apart()
    {
        Directory.Upsert(Sensor("s1", "b1", 0, 0), publish: false);
        Directory.Upsert(Sensor("s2", "b1", 5, 0), publish: false);
        Directory.Upsert(Sensor("s3", "b1", 10, 0), publish: false);

        Directory.Upsert(Sensor("s1", "b2", 0, 0), publish: false);

        Assert.Equal(["s2", "s3"], Directory.Members("building", "b1").Order(StringComparer.Ordinal));
        Assert.Equal(["s1"], Directory.Members("building", "b2"));
        Assert.Equal(["s1", "s2", "s3"], Directory.Members("cell", "c1").Order(StringComparer.Ordinal));
        Assert.Empty(Directory.Members("parent", "b1"));
        Assert.Empty(Directory.Members("building", "nobody"));
    }

    [Fact]
    public void Full_scans_see_only_the_requested_type()
    {
        Directory.Upsert(Sensor("s1", "b1", 0, 0), publish: false);
        Directory.Upsert(new EntitySummary("b1", EntityType.Building, "residential", null, "normal", Centre, Now), publish: false);

        var visitor = new Summaries([]);
        Directory.ForEach(EntityType.Building, ref visitor);

        Assert.Equal(["b1"], visitor.Seen.Select(s => s.Id));
        Assert.Equal(["s1"], Directory.OfType(EntityType.Sensor).Select(s => s.Id));
        Assert.Equal(2, Directory.Count);
    }

    private EntitySummary Sensor(string id, string building, double eastM, double northM) =>
        new(id, EntityType.Sensor, "Gas", null, "online", At(eastM, northM), Now) { BuildingId = building, CellId = "c1" };

    private GeoPoint At(double eastM, double northM)
    {
        ProjectedPoint c = _utm.Forward(Centre);
        return _utm.Inverse(new ProjectedPoint(c.X + eastM, c.Y + northM));
    }

    private readonly struct Summaries(List<EntitySummary> seen) : ISpatialVisitor<TwinEntry>
    {
        public List<EntitySummary> Seen => seen;

        public void Visit(TwinEntry key, GeoPoint position, double distanceMetres) => seen.Add(key.Summary);
    }
}
