using System.Buffers;
using BenchmarkDotNet.Attributes;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Loading;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using CityTwin.TwinApi.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Bench;

/// <summary>
/// GET /api/entities without HTTP: a 500 m radius query for sensors (page 1 of 100, ~9,400 matched), the same with an
/// attribute filter, and a bbox query, answered from the read model of a loaded 50,000-building district and written
/// as the GeoJSON FeatureCollection the endpoint returns; and the read-model upsert every accepted reading makes.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EntityQueryBenchmarks
{
    private const double RadiusMetres = 500;

    private readonly ArrayBufferWriter<byte> _output = new(256 * 1024);
    private TwinSilo? _silo;
    private TwinDirectory? _directory;
    private GeoPoint[] _centres = [];
    private EntitySummary[] _sensors = [];
    private int _next;

    /// <summary>Loads a 50,000-building district into a twin silo on the memory store.</summary>
    [GlobalSetup]
    public void Setup()
    {
        District district = DistrictGenerator.Generate(new DistrictOptions { Seed = 7, Buildings = 50_000 });
        string name = $"entity-bench-{Guid.NewGuid():N}"[..25];
        _silo = TwinSilo.StartAsync(SiloStore.CreateMemory(), new SiloOptions { Name = name, ClusterId = name }).GetAwaiter().GetResult();
        DistrictLoader.LoadAsync(_silo.Services, district).GetAwaiter().GetResult();
        _directory = _silo.Directory;
        var random = new Random(42);
        _centres = Enumerable.Range(0, 256).Select(_ => district.Sensors[random.Next(district.Sensors.Length)].Position).ToArray();
        _sensors = _directory.OfType(EntityType.Sensor).Take(256).ToArray();
    }

    /// <summary>Stops the silo.</summary>
    [GlobalCleanup]
    public void Cleanup() => _silo?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>type=sensor&amp;near=…&amp;radius=500, first page of 100.</summary>
    [Benchmark(Baseline = true)]
    public int Near500mPage1() => Run(new EntityQuery([EntityType.Sensor], null, NextCentre(), RadiusMetres, null, [], 1, 100));

    /// <summary>The same query with a page of one: finding and ranking the hits without writing the page.</summary>
    [Benchmark]
    public int Near500mPageOfOne() => Run(new EntityQuery([EntityType.Sensor], null, NextCentre(), RadiusMetres, null, [], 1, 1));

    /// <summary>The same with q=kind==gas.</summary>
    [Benchmark]
    public int Near500mGasPage1() =>
        Run(new EntityQuery([EntityType.Sensor], null, NextCentre(), RadiusMetres, null, AttributeFilter.Parse("kind==gas").Filters, 1, 100));

    /// <summary>type=sensor&amp;bbox= a box of about 1 km around the centre, first page of 100 in id order.</summary>
    [Benchmark]
    public int Box1kmPage1()
    {
        GeoPoint c = NextCentre();
        return Run(new EntityQuery([EntityType.Sensor], new GeoBox(c.Lon - 0.005, c.Lat - 0.0045, c.Lon + 0.005, c.Lat + 0.0045), null, 0, null, [], 1, 100));
    }

    /// <summary>What a sensor grain does to the read model per reading: a new summary with the value, upserted.</summary>
    [Benchmark(OperationsPerInvoke = 1024)]
    public void UpsertReading()
    {
        for (int i = 0; i < 1024; i++)
        {
            EntitySummary s = _sensors[i & 255];
            _directory!.Upsert(s with { Value = i, UpdatedAt = s.UpdatedAt.AddSeconds(1) });
        }
    }

    private int Run(EntityQuery query)
    {
        _output.ResetWrittenCount();
        query.WriteTo(_directory!, _output);
        return _output.WrittenCount;
    }

    private GeoPoint NextCentre() => _centres[_next++ & (_centres.Length - 1)];
}
