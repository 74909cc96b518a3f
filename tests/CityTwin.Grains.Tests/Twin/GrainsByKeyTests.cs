using CityTwin.Grains.Twin;
using Orleans.Runtime;

namespace CityTwin.Grains.Tests.Twin;

/// <summary>The ingest's grain references: the same grain, the same interface, calls that reach it, as GetGrain's.</summary>
public sealed class GrainsByKeyTests
{
    [Fact]
    public async Task A_reference_by_key_names_the_grain_GetGrain_names_and_reaches_it()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();
        var sensors = new GrainsByKey<ISensorGrain>(twin.Grains);
        var gauges = new GrainsByKey<IGaugeGrain>(twin.Grains);

        ISensorGrain sensor = sensors.Get("s1");
        Assert.Equal(twin.Sensor("s1").GetGrainId(), sensor.GetGrainId());
        Assert.Equal(((GrainReference)twin.Sensor("s1")).InterfaceType, ((GrainReference)sensor).InterfaceType);
        Assert.Equal(twin.Gauge("g1").GetGrainId(), gauges.Get("g1").GetGrainId());
        Assert.NotEqual(sensors.Get("s2").GetGrainId(), sensor.GetGrainId());

        await sensor.RecordAsync(new SensorReading(25, null, twin.Now));
        Assert.Equal(25, twin.Directory.Get("s1")!.Value);
    }
}
