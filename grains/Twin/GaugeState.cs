using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Silo.EventLog;

namespace CityTwin.Grains.Twin;

/// <summary>The persistent state of a <see cref="GaugeGrain"/>: definition, last level, tier, rate of rise and statistics.</summary>
public sealed class GaugeState : ITwinEntityState
{
    /// <summary>The logged readings this state reflects (each applied once, also across a crash and replay).</summary>
    public AppliedInputs Applied { get; set; } = new();

    /// <summary>The static description; null until initialised.</summary>
    public GaugeDefinition? Definition { get; set; }

    /// <summary>Makes this the first state of the gauge <paramref name="definition"/> describes.</summary>
    public void Initialize(GaugeDefinition definition, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        InitializedAt = at;
    }

    /// <summary>When the gauge was initialised.</summary>
    public DateTimeOffset InitializedAt { get; set; }

    /// <summary>The last water level, metres above datum.</summary>
    public double? LevelM { get; set; }

    /// <summary>When the last level was measured (the device's timestamp).</summary>
    public DateTimeOffset? LevelAt { get; set; }

    /// <summary>When the twin last heard from the gauge (the silo's clock).</summary>
    public DateTimeOffset? LastHeardAt { get; set; }

    /// <summary>The current warning tier.</summary>
    public RiverTier Tier { get; set; }

    /// <summary>When the current tier was entered.</summary>
    public DateTimeOffset? TierSince { get; set; }

    /// <summary>Recent levels for the rate-of-rise rule.</summary>
    public RateOfRise Rise { get; set; } = new();

    /// <summary>The last computed rate of rise in metres per hour (null until enough history).</summary>
    public double? RiseMetresPerHour { get; set; }

    /// <summary>True while the rate of rise is above the limit (its warning was raised).</summary>
    public bool RisingFast { get; set; }

    /// <summary>Rolling statistics of all levels.</summary>
    public RunningStatistics Statistics { get; set; } = new();

    /// <inheritdoc />
    public bool IsInitialized => Definition is not null;

    /// <inheritdoc />
    public EntitySummary ToSummary()
    {
        GaugeDefinition d = Definition ?? throw new InvalidOperationException("The gauge is not initialised.");
        var properties = new Dictionary<string, object>
        {
            ["tier"] = RiverTierRule.NameOf(Tier),
            ["warningLevelM"] = d.WarningLevelM,
            ["guaranteedLevelM"] = d.GuaranteedLevelM,
            ["historicMaxLevelM"] = d.HistoricMaxLevelM,
        };
        if (Tier != RiverTier.Normal)
        {
            properties["action"] = RiverTierRule.ActionFor(Tier);
        }

        if (RiseMetresPerHour is { } rise)
        {
            properties["riseMetresPerHour"] = Math.Round(rise, 3);
        }

        return new EntitySummary(d.Id, EntityType.Gauge, "river", d.Name, RiverTierRule.NameOf(Tier), d.Position, LastHeardAt ?? InitializedAt)
        {
            GridId = d.GridId,
            CommunityId = d.CommunityId,
            StreetId = d.StreetId,
            CellId = d.CellId,
            Value = LevelM,
            Unit = "m",
            Properties = properties,
        };
    }
}
