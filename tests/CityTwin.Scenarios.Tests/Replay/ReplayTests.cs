using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Replay;
using CityTwin.Scenarios.Runs;
using CityTwin.Scenarios.Tests.Runs;
using CityTwin.Silo.EventLog;

namespace CityTwin.Scenarios.Tests.Replay;

public sealed class ReplayTests(SandboxTwinFixture twin) : IClassFixture<SandboxTwinFixture>
{
    [Fact]
    public async Task A_recorded_range_is_fed_into_a_fork_and_set_beside_the_forecast_made_at_its_start()
    {
        // A recorded night: a gauge rising 0.5 m/h from an hour before the replay's start, and a truck moving.
        var log = new MemoryEventLog();
        DateTimeOffset from = SandboxTwinFixture.Now.AddDays(-1);
        DateTimeOffset to = from.AddHours(2);
        const double baseLevel = 500.0;
        var entries = new List<EventAppend>();
        for (int m = -60; m < 150; m += 10)
        {
            double level = baseLevel + (0.5 * m / 60.0);
            entries.Add(new EventAppend(from.AddMinutes(m), "reading", "gauge-1", JsonSerializer.SerializeToUtf8Bytes(new { value = level, unit = "m" })));
        }

        EntitySummary truck = EntitySelectors.Resolve("@muck-truck", twin.Twin.Silo.Directory)!;
        entries.Add(new EventAppend(from.AddMinutes(30), "position", truck.Id, JsonSerializer.SerializeToUtf8Bytes(new { position = new[] { truck.Position.Lon + 0.001, truck.Position.Lat } })));
        await log.AppendBatchAsync(entries);

        await using TwinFork fork = await twin.Twin.ForkAsync(from);
        var result = new ScenarioResult { Name = "replay", Kind = "replay" };
        await ReplayEngine.RunAsync(fork, log, new ReplayRequest(from, to, 0), result, null, CancellationToken.None);

        ReplayReport report = Assert.IsType<ReplayReport>(result.Replay);
        Assert.Equal(12, report.Readings);
        Assert.Equal(1, report.Positions);
        Assert.Equal(to, fork.Clock.GetUtcNow());

        // The forecast made at `from` is the trend of the hour before; this gauge kept rising at that rate.
        ReplayComparison gauge = Assert.Single(report.Comparisons, c => c.EntityId == "gauge-1");
        Assert.Equal(baseLevel, gauge.ForecastBasisValue!.Value, 3);
        Assert.Equal(0.5, gauge.ForecastTrendPerHour!.Value, 3);
        Assert.True(gauge.MeanAbsoluteError < 1e-3, $"MAE {gauge.MeanAbsoluteError}");
        Assert.All(gauge.Points, p => Assert.Equal(p.Recorded, p.Forecast!.Value, 3));

        // The fork applied the inputs at their recorded times.
        EntitySummary forkGauge = fork.Directory.Get("gauge-1")!;
        // The last reading inside [from, to) is the one at from + 110 min.
        Assert.Equal(baseLevel + (0.5 * 110 / 60.0), forkGauge.Value!.Value, 6);
        Assert.Equal(truck.Position.Lon + 0.001, fork.Directory.Get(truck.Id)!.Position.Lon, 9);
    }
}
