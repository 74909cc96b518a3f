using CityTwin.Grains.Cluster;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.Grains.Tests.Cluster;

/// <summary>
/// What the replicator holds for a silo that has not taken its changes yet: each entity once, as it is now, even when a
/// failed batch is put back under newer changes; alerts in the order they were raised.
/// </summary>
public sealed class PendingChangesTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_later_change_of_an_entity_replaces_the_earlier_one_and_alerts_keep_their_order()
    {
        var pending = new PendingChanges();
        pending.Add(Sensor("s1", 1));
        pending.Add(Alert("a1"));
        pending.Merge(Batch([Sensor("s1", 2), Sensor("s2", 5)], [Alert("a2")]));

        TwinReplicaBatch batch = pending.Take("silo1")!;

        Assert.Equal("silo1", batch.Source);
        Assert.Equal([("s1", 2.0), ("s2", 5.0)], batch.Entities.Select(e => (e.Id, e.Value!.Value)).Order());
        Assert.Equal(["a1", "a2"], batch.Alerts.Select(a => a.Id));
        Assert.Null(pending.Take("silo1"));
    }

    [Fact]
    public void A_batch_put_back_after_a_failed_send_stays_under_the_changes_made_since()
    {
        var pending = new PendingChanges();
        pending.Add(Sensor("s1", 1));
        pending.Add(Sensor("s2", 1));
        pending.Add(Alert("a1"));
        TwinReplicaBatch failed = pending.Take("silo1")!;
        pending.Add(Sensor("s1", 2));
        pending.Add(Alert("a2"));

        pending.PutBack(failed);
        TwinReplicaBatch retried = pending.Take("silo1")!;

        Assert.Equal([("s1", 2.0), ("s2", 1.0)], retried.Entities.Select(e => (e.Id, e.Value!.Value)).Order());
        Assert.Equal(["a1", "a2"], retried.Alerts.Select(a => a.Id));
    }

    [Fact]
    public void Trim_drops_the_oldest_alerts_beyond_the_limit_and_keeps_every_entity()
    {
        var pending = new PendingChanges();
        for (int i = 0; i < 5; i++)
        {
            pending.Add(Alert($"a{i}"));
            pending.Add(Sensor($"s{i}", i));
        }

        Assert.Equal(2, pending.Trim(3));
        TwinReplicaBatch batch = pending.Take("silo1")!;
        Assert.Equal(["a2", "a3", "a4"], batch.Alerts.Select(a => a.Id));
        Assert.Equal(5, batch.Entities.Length);
    }

    private static TwinReplicaBatch Batch(EntitySummary[] entities, Alert[] alerts) => new("other", entities, alerts, [], []);

    private static EntitySummary Sensor(string id, double value) =>
        new(id, EntityType.Sensor, "Gas", null, "online", new GeoPoint(104.06, 30.66), Now) { Value = value };

    private static Alert Alert(string id) =>
        new(id, "alerts", "threshold", AlertSeverity.Warning, "test", EntityType.Sensor, "s1", new GeoPoint(104.06, 30.66), Now, null, null, null, null, []);
}
