using System.Globalization;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>
/// A river gauge: classifies each level into the warning tiers (blue / yellow / orange / red, see
/// <see cref="RiverTierRule"/>) and watches the rate of rise. A warning goes out on the "warning" channel when the tier
/// goes up, naming the community's and street's staff and the action residents must take; a drop back gets a clear
/// message. Tier changes are written at once: a restarted server must not announce the same tier again.
/// </summary>
[GrainType("gauge")]
public sealed class GaugeGrain(
    [PersistentState("entity", SiloStore.StorageName)] IPersistentState<GaugeState> entity, TwinDirectory directory, AlertBus alerts,
    TelemetryRuleOptions? options = null) : WriteBehindGrain<GaugeState>(entity), IGaugeGrain
{
    private readonly TelemetryRuleOptions _options = options ?? TelemetryRuleOptions.Default;

    private GaugeState S => State;

    /// <inheritdoc />
    public async Task InitializeAsync(GaugeDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!S.IsInitialized)
        {
            S.Initialize(definition, TimeProvider.GetUtcNow());
            directory.Upsert(S.ToSummary());
            await WriteStateAsync();
            return;
        }

        directory.Upsert(S.ToSummary(), publish: false);
    }

    /// <inheritdoc />
    public Task<EntityDetails?> GetDetailsAsync() =>
        Task.FromResult(S.IsInitialized ? EntityDetails.Of(S.ToSummary(), S) : null);

    /// <inheritdoc />
    public Task RecordAsync(SensorReading reading) => RecordBatchAsync([reading]);

    /// <inheritdoc />
    public async Task RecordBatchAsync(IReadOnlyList<SensorReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        GaugeDefinition d = S.Definition ?? throw new InvalidOperationException($"Gauge '{this.GetPrimaryKeyString()}' received a reading but was never initialised.");
        bool tierChanged = false;
        foreach (SensorReading reading in readings)
        {
            // A level outside the physical range is not a measurement (ingest refuses it; see PhysicalRange).
            if (!S.Applied.TryApply(reading.LogSeq, reading.LogLow) || !PhysicalRange.Contains(PhysicalRange.WaterLevel, reading.Value))
            {
                continue;
            }

            double level = reading.Value;
            S.LevelM = level;
            S.LevelAt = reading.At;
            S.LastHeardAt = TimeProvider.GetUtcNow();
            S.Statistics.Add(level);
            S.Rise.Add(reading.At, level, _options.RateOfRiseWindow);
            S.RiseMetresPerHour = S.Rise.MetresPerHour(_options.RateOfRiseWindow, _options.RateOfRiseMinSpan);

            RiverTier previous = S.Tier;
            RiverTier tier = RiverTierRule.Classify(level, d, _options.GaugeNearWarningMarginM, previous, _options.GaugeHysteresisM);
            if (tier != previous)
            {
                S.Tier = tier;
                S.TierSince = reading.At;
                tierChanged = true;
                directory.Upsert(S.ToSummary());
                await (tier > previous ? RaiseTierAsync(d, tier, level, reading.At) : LowerTierAsync(d, previous, tier, level, reading.At));
            }

            bool fast = S.RiseMetresPerHour is { } rate && rate > _options.RateOfRiseMetresPerHour;
            if (fast && !S.RisingFast)
            {
                S.RisingFast = true;
                directory.Upsert(S.ToSummary());
                await RaiseRateOfRiseAsync(d, S.RiseMetresPerHour!.Value, level, reading.At);
            }
            else if (!fast && S.RisingFast && S.RiseMetresPerHour is not null)
            {
                // Re-armed once the rise slows down, so the next surge warns again.
                S.RisingFast = false;
            }
        }

        directory.Upsert(S.ToSummary());
        if (tierChanged)
        {
            await WriteStateAsync();
        }
    }

    private Task RaiseTierAsync(GaugeDefinition d, RiverTier tier, double level, DateTimeOffset at)
    {
        string action = RiverTierRule.ActionFor(tier);
        string message = $"{d.Name}: water at {M(level)} m, {RiverTierRule.NameOf(tier)} tier ({TierMeaning(tier, d)}). Action: {action}.";
        return PublishAsync(d, AlertKinds.RiverTier, RiverTierRule.SeverityFor(tier), message, at, new Dictionary<string, string>
        {
            ["tier"] = RiverTierRule.NameOf(tier),
            ["action"] = action,
            ["levelM"] = M(level),
        });
    }

    private Task LowerTierAsync(GaugeDefinition d, RiverTier previous, RiverTier tier, double level, DateTimeOffset at)
    {
        string message = tier == RiverTier.Normal
            ? $"{d.Name}: water at {M(level)} m, back below the {RiverTierRule.NameOf(previous)} tier; the warning is lifted."
            : $"{d.Name}: water at {M(level)} m, down from {RiverTierRule.NameOf(previous)} to the {RiverTierRule.NameOf(tier)} tier. Action now: {RiverTierRule.ActionFor(tier)}.";
        return PublishAsync(d, AlertKinds.RiverTierLowered, AlertSeverity.Info, message, at, new Dictionary<string, string>
        {
            ["tier"] = RiverTierRule.NameOf(tier),
            ["previousTier"] = RiverTierRule.NameOf(previous),
            ["action"] = RiverTierRule.ActionFor(tier),
            ["levelM"] = M(level),
        });
    }

    private Task RaiseRateOfRiseAsync(GaugeDefinition d, double rate, double level, DateTimeOffset at) =>
        PublishAsync(d, AlertKinds.RateOfRise, AlertSeverity.Warning,
            $"{d.Name}: river rising {M(rate)} m/h (limit {M(_options.RateOfRiseMetresPerHour)} m/h), now at {M(level)} m. Prepare to transfer.",
            at, new Dictionary<string, string> { ["riseMetresPerHour"] = M(rate), ["levelM"] = M(level) });

    /// <summary>Publishes a warning naming the community's and street's staff (the district's when the gauge lies in neither).</summary>
    private async Task PublishAsync(GaugeDefinition d, string kind, AlertSeverity severity, string message, DateTimeOffset at, Dictionary<string, string> details)
    {
        string[] areas = new[] { d.CommunityId, d.StreetId }.OfType<string>().ToArray();
        if (areas.Length == 0)
        {
            areas = [BuildingGrain.DistrictAreaId];
        }

        var recipients = new List<Contact>();
        foreach (string area in areas)
        {
            recipients.AddRange(await GrainFactory.GetGrain<IAreaGrain>(area).GetStaffAsync());
        }

        await alerts.PublishAsync(new Alert(
            Guid.NewGuid().ToString("N"), "warning", kind, severity, message, EntityType.Gauge, d.Id, d.Position, at,
            null, d.GridId, d.CommunityId, d.StreetId, [.. recipients.Distinct()], details));
        foreach (string? area in new[] { d.GridId, d.CommunityId, d.StreetId, BuildingGrain.DistrictAreaId }.Distinct())
        {
            if (area is not null)
            {
                _ = GrainFactory.GetGrain<IAreaGrain>(area).RecordAlertAsync(kind);
            }
        }
    }

    private string TierMeaning(RiverTier tier, GaugeDefinition d) => tier switch
    {
        RiverTier.Blue => $"within {M(_options.GaugeNearWarningMarginM)} m below the warning level {M(d.WarningLevelM)} m",
        RiverTier.Yellow => $"at or above the warning level {M(d.WarningLevelM)} m",
        RiverTier.Orange => $"at or above the guaranteed level {M(d.GuaranteedLevelM)} m",
        RiverTier.Red => $"at or above the historic maximum {M(d.HistoricMaxLevelM)} m",
        _ => "normal",
    };

    private static string M(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
