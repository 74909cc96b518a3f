using CityTwin.Silo;
using CityTwin.TwinApi.Hubs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The real server whose hub throttle runs on a virtual clock (<see cref="Clock"/>, registered under
/// <see cref="HubSubscriptions.ClockKey"/>): throttle windows end only when a test advances the clock, however busy the
/// machine. Everything else (the silo, the API) stays on real time.
/// </summary>
public sealed class HubClockServerFixture : TwinServerFixture
{
    /// <summary>The hub throttle's clock.</summary>
    public VirtualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));

    /// <inheritdoc />
    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddKeyedSingleton<TimeProvider>(HubSubscriptions.ClockKey, Clock);
}
