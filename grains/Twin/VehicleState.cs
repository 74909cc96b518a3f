using System.Text.Json.Serialization;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Silo.EventLog;

namespace CityTwin.Grains.Twin;

/// <summary>
/// The persistent state of a vehicle grain: its definition, last fix, dispatch status, the geofences it is inside, the
/// construction site it last left and a bounded trajectory. The trajectory is a ring of at most the configured number
/// of fixes; every fix gets a sequence number (0, 1, 2, … for the life of the vehicle) so a mark such as "left the site
/// at fix 1,204" stays meaningful after the ring wrapped.
/// </summary>
public sealed class VehicleState : ITwinEntityState
{
    /// <summary>The logged position reports this state reflects (each applied once, also across a crash and replay).</summary>
    public AppliedInputs Applied { get; set; } = new();

    /// <summary>The vehicle's static description; null until initialised.</summary>
    public VehicleDefinition? Definition { get; set; }

    /// <summary>Makes this the first state of the vehicle <paramref name="definition"/> describes: available at its start position.</summary>
    public void Initialize(VehicleDefinition definition, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        Position = definition.Position;
        UpdatedAt = at;
        Status = "available";
    }

    /// <inheritdoc />
    [JsonIgnore]
    public bool IsInitialized => Definition is not null;

    /// <summary>The current (last reported) position.</summary>
    public GeoPoint Position { get; set; }

    /// <summary>When the summary last changed (the fix time for positions).</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Time of the last accepted fix; older fixes arriving later are ignored.</summary>
    public DateTimeOffset? LastFixAt { get; set; }

    /// <summary>Speed of the last fix, km/h.</summary>
    public double? SpeedKmh { get; set; }

    /// <summary>Whether the load was covered at the last fix (muck trucks).</summary>
    public bool? Covered { get; set; }

    /// <summary>Load at the last fix, tonnes (muck trucks).</summary>
    public double? LoadTonnes { get; set; }

    /// <summary>"available", "dispatched", or another status set by dispatch.</summary>
    public string Status { get; set; } = "available";

    /// <summary>The case the vehicle is dispatched to, if any.</summary>
    public string? CaseId { get; set; }

    /// <summary>Ids of the geofences the vehicle is inside, ordered.</summary>
    public List<string> Geofences { get; set; } = [];

    /// <summary>Checkpoints where a violation was already raised during the current visit (one alert per visit).</summary>
    public List<string> FlaggedCheckpoints { get; set; } = [];

    /// <summary>The construction site the vehicle last left.</summary>
    public string? LastSiteId { get; set; }

    /// <summary>Sequence number of the last fix inside <see cref="LastSiteId"/> before it left.</summary>
    public long? LastSiteExitSequence { get; set; }

    /// <summary>Time of that fix.</summary>
    public DateTimeOffset? LastSiteExitAt { get; set; }

    /// <summary>The trajectory ring: in order from <see cref="TrackHead"/> once full, plain order before.</summary>
    public List<VehiclePosition> Track { get; set; } = [];

    /// <summary>Index in <see cref="Track"/> of the oldest fix (0 until the ring is full).</summary>
    public int TrackHead { get; set; }

    /// <summary>Fixes recorded over the vehicle's life; the next fix gets this sequence number.</summary>
    public long Recorded { get; set; }

    /// <summary>Sequence number of the oldest fix still held.</summary>
    [JsonIgnore]
    public long OldestSequence => Recorded - Track.Count;

    /// <summary>
    /// Puts the ring in plain order holding at most <paramref name="capacity"/> fixes (the newest), so it can grow or
    /// shrink when the configured capacity changed since the state was stored.
    /// </summary>
    public void NormalizeTrack(int capacity)
    {
        if (TrackHead == 0 && Track.Count <= capacity)
        {
            return;
        }

        List<VehiclePosition> ordered = [.. Track.Skip(TrackHead), .. Track.Take(TrackHead)];
        Track = ordered.Count > capacity ? ordered.GetRange(ordered.Count - capacity, capacity) : ordered;
        TrackHead = 0;
    }

    /// <summary>Appends a fix, overwriting the oldest when <paramref name="capacity"/> fixes are held; returns its sequence number.</summary>
    public long AppendFix(VehiclePosition fix, int capacity)
    {
        if (Track.Count < capacity)
        {
            // Only reached in plain order (TrackHead == 0): NormalizeTrack runs when the capacity is applied.
            Track.Add(fix);
        }
        else
        {
            Track[TrackHead] = fix;
            TrackHead = (TrackHead + 1) % Track.Count;
        }

        return Recorded++;
    }

    /// <summary>The newest <paramref name="limit"/> fixes, oldest first.</summary>
    public VehiclePosition[] Latest(int limit) => Range(Math.Max(OldestSequence, Recorded - Math.Max(0, limit)));

    /// <summary>The fixes from sequence number <paramref name="from"/> (or the oldest held, if later) to the newest, oldest first.</summary>
    public VehiclePosition[] Range(long from)
    {
        long start = Math.Max(from, OldestSequence);
        int count = (int)Math.Max(0, Recorded - start);
        var result = new VehiclePosition[count];
        int offset = (int)(start - OldestSequence);
        for (int i = 0; i < count; i++)
        {
            result[i] = Track[(TrackHead + offset + i) % Track.Count];
        }

        return result;
    }

    /// <inheritdoc />
    public EntitySummary ToSummary()
    {
        VehicleDefinition d = Definition ?? throw new InvalidOperationException("The vehicle was never initialised.");
        var properties = new Dictionary<string, object> { ["plate"] = d.Plate, ["homeStationId"] = d.HomeStationId };
        AddIfSet(properties, "assignedSiteId", d.AssignedSiteId);
        AddIfSet(properties, "caseId", CaseId);
        AddIfSet(properties, "speedKmh", SpeedKmh);
        AddIfSet(properties, "loadTonnes", LoadTonnes);
        if (Covered is { } covered)
        {
            // Properties hold strings or numbers only (the attribute filter compares those).
            properties["covered"] = covered ? "true" : "false";
        }

        if (Geofences.Count > 0)
        {
            properties["geofences"] = string.Join(',', Geofences);
        }

        return new EntitySummary(d.Id, EntityType.Vehicle, d.Kind.ToString(), d.Plate, Status, Position, UpdatedAt) { Properties = properties };
    }

    private static void AddIfSet(Dictionary<string, object> properties, string name, object? value)
    {
        if (value is not null)
        {
            properties[name] = value;
        }
    }
}
