using CityTwin.Silo.EventLog;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>Exactly-once application of logged inputs: what a grain's state records, and the watermark deliveries carry.</summary>
public sealed class AppliedInputsTests
{
    [Fact]
    public void Each_logged_input_is_applied_once_in_any_order_and_inputs_not_from_the_log_always()
    {
        var applied = new AppliedInputs();

        // Live: 12 and 10 arrive out of order while 5 is still the watermark; a resend of 12 is skipped.
        Assert.True(applied.TryApply(12, 5));
        Assert.True(applied.TryApply(10, 5));
        Assert.False(applied.TryApply(12, 5));
        Assert.Equal([12L, 10L], applied.Above);

        // The watermark passes 10: it is folded into Through, 12 stays listed.
        Assert.True(applied.TryApply(20, 10));
        Assert.Equal(10, applied.Through);
        Assert.Equal([12L, 20L], applied.Above);

        // Replay after a crash, in log order (low = seq - 1): what the state holds is skipped, the rest applied.
        Assert.Equal([false, true, false, true], new long[] { 10, 11, 12, 13 }.Select(seq => applied.TryApply(seq, seq - 1)));
        Assert.True(applied.TryApply(0, 0));
        Assert.True(applied.TryApply(0, 0));
    }

    [Fact]
    public void The_delivery_watermark_stays_below_every_batch_still_on_its_way()
    {
        var watermark = new DeliveryWatermark();
        watermark.Start(100);
        long a = watermark.Begin();
        long b = watermark.Begin();
        Assert.Equal(100, watermark.Low);

        // b (seqs up to 120) finishes before a (seqs up to 110): a still holds the watermark at 100.
        watermark.End(b, 120);
        Assert.Equal(100, watermark.Low);
        long c = watermark.Begin();
        watermark.End(a, 110);
        Assert.Equal(120, watermark.Low);

        // A failed append (highest 0) ends its batch without moving anything up.
        watermark.End(c, 0);
        Assert.Equal(120, watermark.Low);
    }

    [Fact]
    public void In_a_cluster_deliveries_carry_the_replay_mark_and_a_silo_that_logged_nothing_holds_no_mark_back()
    {
        var watermark = new DeliveryWatermark(clustered: true);

        // Nothing logged through this silo since it started: its later seqs come from a fresh lease, above every seq now.
        Assert.Null(watermark.ClusterLow);
        long a = watermark.Begin();
        Assert.Equal(0, watermark.ClusterLow);
        watermark.End(a, 2_000_050);
        Assert.Equal(2_000_050, watermark.ClusterLow);

        // Its own low does not vouch for another silo's inputs: deliveries carry the cluster's mark, which only rises.
        Assert.Equal(0, watermark.DeliveryLow);
        watermark.RaiseClusterMark(1_500);
        watermark.RaiseClusterMark(900);
        Assert.Equal(1_500, watermark.DeliveryLow);

        // A lone silo's deliveries carry its own low.
        var lone = new DeliveryWatermark();
        lone.Start(70);
        lone.RaiseClusterMark(1_500);
        Assert.Equal(70, lone.DeliveryLow);
    }
}
