using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Forks;
using CityTwin.Silo.EventLog;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// What an engine needs during a run: the fork, the definition, the result being built, and the one way simulated time
/// moves on (<see cref="AdvanceToAsync"/>), which injects the timeline's events as their times come, lets the fork's
/// timers and reminders fire, and reports progress.
/// </summary>
internal sealed class RunContext(TwinFork fork, ScenarioDefinition definition, ScenarioResult result, Action<double, DateTimeOffset, string?> report)
{
    private int _nextEvent;

    /// <summary>The fork the run works on.</summary>
    public TwinFork Fork { get; } = fork;

    /// <summary>The scenario.</summary>
    public ScenarioDefinition Definition { get; } = definition;

    /// <summary>The result being built.</summary>
    public ScenarioResult Result { get; } = result;

    /// <summary>Simulated start.</summary>
    public DateTimeOffset Start { get; } = fork.Clock.GetUtcNow();

    /// <summary>Simulated time since the start.</summary>
    public TimeSpan Elapsed => Fork.Clock.GetUtcNow() - Start;

    /// <summary>Adds a timeline entry.</summary>
    public void Note(TimeSpan at, string kind, string message, string? entityId = null, string? severity = null)
    {
        lock (Result.Timeline)
        {
            Result.Timeline.Add(new TimelineEntry(Start + at, kind, message, entityId, severity));
        }
    }

    /// <summary>Publishes progress with a message.</summary>
    public void Report(string? message = null) =>
        report(Math.Clamp(Elapsed / Definition.Duration, 0, 1), Fork.Clock.GetUtcNow(), message);

    /// <summary>Publishes progress of a model that computes ahead of the fork's clock, at <paramref name="offset"/> after the start.</summary>
    public void ReportModelTime(TimeSpan offset, string message) =>
        report(Math.Clamp(offset / Definition.Duration, 0, 1), Start + offset, message);

    /// <summary>
    /// Moves simulated time to <paramref name="offset"/> after the start: every timeline event due by then is injected
    /// at its own time (the clock stops there first, so rules see the right time), and the fork settles after each.
    /// </summary>
    public async Task AdvanceToAsync(TimeSpan offset, CancellationToken cancellationToken)
    {
        IReadOnlyList<TimelineEvent> timeline = Definition.Timeline;
        while (_nextEvent < timeline.Count && timeline[_nextEvent].At <= offset)
        {
            TimelineEvent e = timeline[_nextEvent++];
            await MoveClockAsync(e.At, cancellationToken);
            await InjectAsync(e, cancellationToken);
        }

        await MoveClockAsync(offset, cancellationToken);
        Result.SimulatedEnd = Fork.Clock.GetUtcNow();
        Report();
    }

    /// <summary>Appends an input to the fork's own event log, as the live API does before applying it.</summary>
    public Task LogInputAsync(string kind, string key, object payload, CancellationToken cancellationToken) =>
        Fork.EventLog.AppendAsync(new EventAppend(Fork.Clock.GetUtcNow(), kind, key, JsonSerializer.SerializeToUtf8Bytes(payload, TwinJson.Options)), cancellationToken);

    /// <summary>Sends a reading to a sensor or gauge of the fork (logged first, as the live API does).</summary>
    public async Task RecordReadingAsync(EntitySummary target, double value, string? unit, CancellationToken cancellationToken)
    {
        var reading = new SensorReading(value, unit ?? target.Unit, Fork.Clock.GetUtcNow());
        await LogInputAsync(SensorReading.LogKind, target.Id, new { value, unit = reading.Unit }, cancellationToken);
        if (target.Type == EntityType.Gauge)
        {
            await Fork.Silo.GrainFactory.GetGrain<IGaugeGrain>(target.Id).RecordAsync(reading);
        }
        else
        {
            await Fork.Silo.GrainFactory.GetGrain<ISensorGrain>(target.Id).RecordAsync(reading);
        }
    }

    private async Task MoveClockAsync(TimeSpan offset, CancellationToken cancellationToken)
    {
        TimeSpan by = offset - Elapsed;
        if (by > TimeSpan.Zero)
        {
            await Fork.Silo.AdvanceTimeAsync(by, cancellationToken);
        }
        else
        {
            await Fork.Silo.WaitForQuiescenceAsync(cancellationToken);
        }
    }

    private async Task InjectAsync(TimelineEvent e, CancellationToken cancellationToken)
    {
        if (e.Type == TimelineEventType.Note)
        {
            Note(e.At, "note", e.Text ?? "");
            return;
        }

        EntitySummary? target = EntitySelectors.Resolve(e.Target!, Fork.Directory);
        if (target is null)
        {
            Note(e.At, "skipped", $"{e.Type.ToString().ToLowerInvariant()} for '{e.Target}' skipped: no such entity in this twin", e.Target, "warning");
            return;
        }

        switch (e.Type)
        {
            case TimelineEventType.Reading:
            case TimelineEventType.Gauge:
                await RecordReadingAsync(target, e.Value!.Value, e.Unit, cancellationToken);
                Note(e.At, "injected", $"{target.Id} reads {e.Value:0.###} {e.Unit ?? target.Unit}", target.Id);
                break;
            case TimelineEventType.Position:
                GeoPoint? point = e.Position;
                if (point is null && e.PositionRef is not null)
                {
                    DistrictMeta? meta = await Fork.Silo.GrainFactory.GetGrain<ITwinMetaGrain>("current").GetAsync();
                    point = meta is null ? null : EntitySelectors.ResolvePlace(e.PositionRef, meta);
                }

                if (point is null)
                {
                    Note(e.At, "skipped", $"position of {target.Id} skipped: '{e.PositionRef}' is not in this twin", target.Id, "warning");
                    return;
                }

                var position = new VehiclePosition(point.Value, Fork.Clock.GetUtcNow(), e.SpeedKmh, e.Covered, e.LoadTonnes);
                await LogInputAsync(VehiclePosition.LogKind, target.Id, position, cancellationToken);
                await Fork.Silo.GrainFactory.GetGrain<IVehicleGrain>(target.Id).RecordPositionAsync(position);
                Note(e.At, "injected", $"{target.Id} at {point.Value.Lon:0.#####}, {point.Value.Lat:0.#####}" +
                    (e.Covered is { } c ? (c ? ", covered" : ", uncovered") : "") + (e.LoadTonnes is { } t ? $", {t:0.#} t" : ""), target.Id);
                break;
        }
    }
}
