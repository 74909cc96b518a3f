using System.Diagnostics;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Runs;
using CityTwin.Silo.EventLog;

namespace CityTwin.Scenarios.Replay;

/// <summary>
/// Feeds a recorded event-log range into a fork whose clock starts at the range's start: each input is applied at its
/// recorded time (the fork's clock is advanced to it, so timers and rules see recorded time) and paced at N x real
/// time. Beside it, the forecast made at the start (each entity's trend over the hour before) is set against what was
/// recorded.
/// </summary>
public static class ReplayEngine
{
    /// <summary>Most points kept per compared entity.</summary>
    public const int MaxPointsPerEntity = 500;

    // A paced replay reports progress at least this often (real time) while it waits for the next input.
    private static readonly TimeSpan PaceReportEvery = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Replays <paramref name="request"/> from <paramref name="recorded"/> into <paramref name="fork"/>, loading at most
    /// <see cref="ScenarioRunOptions.MaxReplayInputs"/> of <paramref name="limits"/> (default budgets when null). A range
    /// with nothing recorded, or more than that, fails with a <see cref="ScenarioRunException"/> saying so.
    /// </summary>
    public static async Task RunAsync(TwinFork fork, IEventLog recorded, ReplayRequest request, ScenarioResult result, Action<ScenarioProgress>? progress,
        CancellationToken cancellationToken, ScenarioRunOptions? limits = null)
    {
        result.SimulatedStart = fork.Clock.GetUtcNow();
        result.SimulatedEnd = result.SimulatedStart;
        List<EventRecord> inputs = await ReadInputsAsync(recorded, request, (limits ?? new ScenarioRunOptions()).MaxReplayInputs, cancellationToken);
        Dictionary<string, Trend> forecasts = await ForecastAsync(recorded, request, cancellationToken);
        var observed = new Dictionary<string, List<ReplayPoint>>(StringComparer.Ordinal);
        int readings = 0, positions = 0, skipped = 0;
        var wall = Stopwatch.StartNew();
        double span = (request.To - request.From).TotalSeconds;
        DateTimeOffset lastProgress = request.From;
        void Report(DateTimeOffset at) =>
            progress?.Invoke(new ScenarioProgress("", "replay", ScenarioRunStatus.Running, Math.Clamp((at - request.From).TotalSeconds / span, 0, 1), at, null));

        foreach (EventRecord e in inputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (request.Speed > 0)
            {
                // Pace: the recorded offset divided by the speed is when this input is due in real time. A long wait is
                // taken a second at a time with progress in between, so the run never looks stalled.
                TimeSpan due = TimeSpan.FromSeconds((e.At - request.From).TotalSeconds / request.Speed);
                for (TimeSpan wait = due - wall.Elapsed; wait > TimeSpan.Zero; wait = due - wall.Elapsed)
                {
                    await Task.Delay(wait < PaceReportEvery ? wait : PaceReportEvery, cancellationToken);
                    Report(request.From + (wall.Elapsed * request.Speed));
                }
            }

            TimeSpan by = e.At - fork.Clock.GetUtcNow();
            if (by > TimeSpan.Zero)
            {
                await fork.Silo.AdvanceTimeAsync(by, cancellationToken);
            }

            EntitySummary? target = fork.Directory.Get(e.Key);
            if (target is null)
            {
                skipped++;
                continue;
            }

            if (e.Kind == SensorReading.LogKind && TryReadValue(e.Payload, out double value, out string? unit))
            {
                var reading = new SensorReading(value, unit ?? target.Unit, e.At);
                if (target.Type == EntityType.Gauge)
                {
                    await fork.Silo.GrainFactory.GetGrain<IGaugeGrain>(target.Id).RecordAsync(reading);
                }
                else if (target.Type == EntityType.Sensor)
                {
                    await fork.Silo.GrainFactory.GetGrain<ISensorGrain>(target.Id).RecordAsync(reading);
                }
                else
                {
                    skipped++;
                    continue;
                }

                readings++;
                if (forecasts.ContainsKey(target.Id) || target.Type == EntityType.Gauge)
                {
                    List<ReplayPoint> points = observed.TryGetValue(target.Id, out List<ReplayPoint>? p) ? p : observed[target.Id] = [];
                    points.Add(new ReplayPoint(e.At, value, forecasts.TryGetValue(target.Id, out Trend? t) ? Math.Round(t.At(e.At), 4) : null));
                }
            }
            else if (e.Kind == VehiclePosition.LogKind && target.Type == EntityType.Vehicle && TryReadPosition(e.Payload, e.At, out VehiclePosition? position))
            {
                await fork.Silo.GrainFactory.GetGrain<IVehicleGrain>(target.Id).RecordPositionAsync(position!);
                positions++;
            }
            else
            {
                skipped++;
            }

            result.SimulatedEnd = fork.Clock.GetUtcNow();
            if (e.At - lastProgress >= TimeSpan.FromSeconds(span / 100))
            {
                lastProgress = e.At;
                Report(e.At);
            }
        }

        // The quiet tail after the last input: the clock moves on a hundredth of the range at a time, with progress.
        TimeSpan chunk = TimeSpan.FromSeconds(Math.Max(1, span / 100));
        for (TimeSpan rest = request.To - fork.Clock.GetUtcNow(); rest > TimeSpan.Zero; rest = request.To - fork.Clock.GetUtcNow())
        {
            await fork.Silo.AdvanceTimeAsync(rest < chunk ? rest : chunk, cancellationToken);
            result.SimulatedEnd = fork.Clock.GetUtcNow();
            Report(result.SimulatedEnd);
        }

        result.SimulatedEnd = fork.Clock.GetUtcNow();
        result.Replay = new ReplayReport(request.From, request.To, request.Speed, readings, positions, skipped, Compare(fork.Directory, observed, forecasts));
        result.Figures["readings"] = readings;
        result.Figures["positions"] = positions;
        result.Timeline.Add(new TimelineEntry(request.From, "start", $"replay of {request.From:O} - {request.To:O} at {(request.Speed > 0 ? $"{request.Speed:0.##}x" : "full speed")}"));
        result.Timeline.Add(new TimelineEntry(result.SimulatedEnd, "end", $"{readings} readings and {positions} positions replayed, {skipped} skipped"));
    }

    private static async Task<List<EventRecord>> ReadInputsAsync(IEventLog log, ReplayRequest request, int maxInputs, CancellationToken cancellationToken)
    {
        // Readings and positions are read per kind and merged by time (then log sequence), so inputs of both kinds are
        // applied in the order they happened. They are held in memory, hence the cap.
        var all = new List<EventRecord>();
        foreach (string kind in new[] { SensorReading.LogKind, VehiclePosition.LogKind })
        {
            await foreach (EventRecord e in log.ReadAsync(request.From, request.To, kind, null, cancellationToken))
            {
                if (all.Count == maxInputs)
                {
                    throw new ScenarioRunException(
                        $"The range {request.From:O} - {request.To:O} holds more than {maxInputs} recorded readings and positions, more than one replay may load (Scenarios:MaxReplayInputs); replay a shorter range.");
                }

                all.Add(e);
            }
        }

        if (all.Count == 0)
        {
            throw new ScenarioRunException($"Nothing was recorded between {request.From:O} and {request.To:O}: there are no readings or positions to replay.");
        }

        all.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Sequence.CompareTo(b.Sequence));
        return all;
    }

    private static async Task<Dictionary<string, Trend>> ForecastAsync(IEventLog log, ReplayRequest request, CancellationToken cancellationToken)
    {
        var samples = new Dictionary<string, List<(double T, double V)>>(StringComparer.Ordinal);
        await foreach (EventRecord e in log.ReadAsync(request.From - request.ForecastBasis, request.From, SensorReading.LogKind, null, cancellationToken))
        {
            if (TryReadValue(e.Payload, out double v, out _))
            {
                (samples.TryGetValue(e.Key, out var list) ? list : samples[e.Key] = []).Add(((e.At - request.From).TotalHours, v));
            }
        }

        var trends = new Dictionary<string, Trend>(StringComparer.Ordinal);
        foreach ((string key, List<(double T, double V)> s) in samples)
        {
            trends[key] = Trend.Fit(request.From, s);
        }

        return trends;
    }

    private static List<ReplayComparison> Compare(TwinDirectory directory, Dictionary<string, List<ReplayPoint>> observed, Dictionary<string, Trend> forecasts)
    {
        var list = new List<ReplayComparison>();
        foreach ((string id, List<ReplayPoint> points) in observed.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            double[] errors = [.. points.Where(p => p.Forecast is not null).Select(p => Math.Abs(p.Recorded - p.Forecast!.Value))];
            Trend? trend = forecasts.GetValueOrDefault(id);
            List<ReplayPoint> kept = points.Count <= MaxPointsPerEntity ? points : [.. points.Where((_, i) => i % ((points.Count / MaxPointsPerEntity) + 1) == 0)];
            list.Add(new ReplayComparison(
                id, directory.Get(id)?.Type.ToString().ToLowerInvariant() ?? "unknown", points.Count, trend?.Basis, trend is null ? null : Math.Round(trend.SlopePerHour, 4),
                errors.Length == 0 ? null : Math.Round(errors.Average(), 4), errors.Length == 0 ? null : Math.Round(errors.Max(), 4),
                points.Max(p => p.Recorded), points.Where(p => p.Forecast is not null).Select(p => p.Forecast).Max(), kept));
        }

        return list;
    }

    /// <summary>Reads the value and unit of a logged reading's payload; false when it holds no finite value.</summary>
    internal static bool TryReadValue(byte[] payload, out double value, out string? unit)
    {
        value = 0;
        unit = null;
        try
        {
            using var doc = JsonDocument.Parse(payload);
            JsonElement root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value", out JsonElement v) && v.ValueKind == JsonValueKind.Number)
            {
                value = v.GetDouble();
                unit = root.TryGetProperty("unit", out JsonElement u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                return double.IsFinite(value);
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    /// <summary>Reads a logged position report's payload; false when it is not a valid report.</summary>
    internal static bool TryReadPosition(byte[] payload, DateTimeOffset at, out VehiclePosition? position)
    {
        position = null;
        try
        {
            using var doc = JsonDocument.Parse(payload);
            JsonElement r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            GeoPoint? point = null;
            if (r.TryGetProperty("position", out JsonElement p) && p.ValueKind == JsonValueKind.Array && p.GetArrayLength() == 2)
            {
                point = new GeoPoint(p[0].GetDouble(), p[1].GetDouble());
            }
            else if (r.TryGetProperty("lon", out JsonElement lon) && r.TryGetProperty("lat", out JsonElement lat) && lon.ValueKind == JsonValueKind.Number && lat.ValueKind == JsonValueKind.Number)
            {
                point = new GeoPoint(lon.GetDouble(), lat.GetDouble());
            }

            if (point is null)
            {
                return false;
            }

            double? Num(string name) => r.TryGetProperty(name, out JsonElement x) && x.ValueKind == JsonValueKind.Number ? x.GetDouble() : null;
            bool? covered = r.TryGetProperty("covered", out JsonElement c) && c.ValueKind is JsonValueKind.True or JsonValueKind.False ? c.GetBoolean() : null;
            position = new VehiclePosition(point.Value, at, Num("speedKmh"), covered, Num("loadTonnes"));
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private sealed class Trend(DateTimeOffset origin, double basis, double slopePerHour)
    {
        public double Basis { get; } = basis;

        public double SlopePerHour { get; } = slopePerHour;

        public static Trend Fit(DateTimeOffset origin, List<(double T, double V)> s)
        {
            // Least-squares line through the last hour's readings, evaluated at the forecast time; one reading gives persistence.
            if (s.Count < 2)
            {
                return new Trend(origin, s[^1].V, 0);
            }

            double mt = s.Average(p => p.T), mv = s.Average(p => p.V);
            double sxx = s.Sum(p => (p.T - mt) * (p.T - mt));
            double slope = sxx < 1e-12 ? 0 : s.Sum(p => (p.T - mt) * (p.V - mv)) / sxx;
            return new Trend(origin, Math.Round(mv + (slope * (0 - mt)), 4), slope);
        }

        public double At(DateTimeOffset t) => Basis + (SlopePerHour * (t - origin).TotalHours);
    }
}
