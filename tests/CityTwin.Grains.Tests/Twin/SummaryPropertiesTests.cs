using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.Grains.Tests.Twin;

/// <summary>The compact properties of entity summaries behave like the dictionary clients and filters read.</summary>
public sealed class SummaryPropertiesTests
{
    private static readonly GeoPoint Here = new(104.06, 30.66);

    [Fact]
    public void Sensor_properties_look_up_enumerate_in_order_and_serialise_as_a_json_object()
    {
        var state = new SensorState
        {
            Definition = new SensorDefinition("s1", SensorKind.Gas, "b1", 3, Here, "grid-1", "community-1", "street-1", "cell-1-1", "%LEL", 20),
            BatteryPercent = 12.5,
            WelfareRaised = true,
        };

        IReadOnlyDictionary<string, object> properties = state.ToSummary().Properties!;

        Assert.Equal(["floor", "alarmAbove", "batteryPercent", "welfare"], properties.Keys);
        Assert.Equal(4, properties.Count);
        Assert.Equal(3, properties["floor"]);
        Assert.Equal(20.0, properties["alarmAbove"]);
        Assert.True(properties.ContainsKey("welfare"));
        Assert.False(properties.TryGetValue("lastUseAt", out _));
        Assert.False(properties.ContainsKey("Floor"));
        Assert.Throws<KeyNotFoundException>(() => properties["elderly"]);
        Assert.Equal("""{"floor":3,"alarmAbove":20,"batteryPercent":12.5,"welfare":"raised"}""", JsonSerializer.Serialize(properties));
    }

    [Fact]
    public void Building_properties_carry_counts_beyond_the_shared_small_numbers()
    {
        var state = new BuildingState
        {
            Definition = new BuildingDefinition("b1", BuildingUse.Residential, 33, Here, [Here], 400, 5000, 1023, "grid-1", "community-1", "street-1",
                "cell-1-1", [], ["s1", "s2"]),
            Evacuation = "ordered",
        };

        IReadOnlyDictionary<string, object> properties = state.ToSummary().Properties!;

        Assert.Equal(
            new Dictionary<string, object> { ["floors"] = 33, ["households"] = 400, ["occupants"] = 5000, ["elderly"] = 1023, ["sensors"] = 2, ["evacuation"] = "ordered" },
            properties.ToDictionary());
        Assert.Equal(1023, properties.GetValueOrDefault("elderly") is int e ? e : -1);
    }
}
