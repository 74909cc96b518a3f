using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Runs;
using CityTwin.Silo;

namespace CityTwin.Scenarios.Tests.Runs;

/// <summary>A small twin in memory (300 buildings, seed 7) that scenario tests fork; forks never change it.</summary>
public sealed class SandboxTwinFixture : IAsyncLifetime
{
    /// <summary>Noon on a summer day, so daytime stability applies and times read well.</summary>
    public static readonly DateTimeOffset Now = new(2024, 7, 10, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The live twin of the tests.</summary>
    public TwinSandbox Twin { get; private set; } = null!;

    /// <summary>The district it was loaded from.</summary>
    public CityTwin.Scenarios.District.District District { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        District = DistrictGenerator.Generate(new DistrictOptions { Buildings = 300, Seed = 7 });
        Twin = await TwinSandbox.CreateAsync(District, new VirtualTimeProvider(Now, new CityTwin.Silo.Quiescence.WorkTracker()));
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Twin.DisposeAsync();
}
