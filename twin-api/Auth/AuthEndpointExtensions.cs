namespace CityTwin.TwinApi.Auth;

/// <summary>Declares the role an endpoint needs.</summary>
public static class AuthEndpointExtensions
{
    /// <summary>Requires at least <paramref name="role"/>.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredRole(role));

    /// <summary>Needs no key.</summary>
    public static TBuilder AllowAnonymousAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowAnonymous());
}
