namespace CityTwin.TwinApi.Tests;

/// <summary>The real server with the authentication settings of <c>twin-api/appsettings.json</c> as shipped (no test keys, no overrides).</summary>
public sealed class ShippedAuthServerFixture : TwinServerFixture
{
    /// <inheritdoc />
    protected override string[] AuthArgs => [];
}
