using System.Net;
using CityTwin.TwinApi.Auth;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// Refuses to start a server that listens on an address other than loopback (<c>--urls</c>, <c>ASPNETCORE_URLS</c>,
/// <c>HTTP_PORTS</c>, Kestrel endpoints) with the demo profile's public keys or anonymous reading, unless
/// <c>Auth:AllowDemoOffLoopback</c> says so: anyone who can reach such a server could read personal data or act as
/// admin with a key printed in the repository.
/// </summary>
public static class DemoProfileGuard
{
    /// <summary>Throws <see cref="CommandLineException"/> (exit code 2) saying why and what to change, when the demo profile would be served off loopback.</summary>
    public static void Check(IConfiguration configuration, AuthOptions auth, ApiKeys keys)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(keys);
        if (auth.AllowDemoOffLoopback || (!auth.AllowAnonymousRead && keys.DemoKeysInForce.Count == 0))
        {
            return;
        }

        string[] open = ListeningUrls(configuration).Where(url => !IsLoopback(url)).ToArray();
        if (open.Length == 0)
        {
            return;
        }

        var what = new List<string>();
        if (keys.DemoKeysInForce.Count > 0)
        {
            what.Add($"the public demo keys ({string.Join(", ", keys.DemoKeysInForce)})");
        }

        if (auth.AllowAnonymousRead)
        {
            what.Add("anonymous reading (Auth:AllowAnonymousRead)");
        }

        throw new CommandLineException(
            $"refusing to listen on {string.Join(", ", open)} (not loopback) with {string.Join(" and ", what)}: anyone who can reach the server could use them. "
            + "Configure your own keys (Auth:Keys:<key> <role>[:<name>]) and set --Auth:DemoKeys false and --Auth:AllowAnonymousRead false, "
            + "or listen on 127.0.0.1, or allow the demo profile explicitly with --Auth:AllowDemoOffLoopback true.");
    }

    /// <summary>The URLs the server will listen on: Kestrel endpoints, else <c>urls</c>, else the HTTP(S) ports (every interface), else the loopback default.</summary>
    private static IEnumerable<string> ListeningUrls(IConfiguration configuration)
    {
        string[] endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>().ToArray();
        if (endpoints.Length > 0)
        {
            return endpoints;
        }

        string? urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        string[] ports = new[] { configuration["http_ports"], configuration["https_ports"] }
            .OfType<string>().SelectMany(p => p.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        return ports.Length > 0 ? ports.Select(p => $"http://*:{p}") : [TwinServer.DefaultUrl];
    }

    private static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }

        if (address.IsUnixPipe || string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(address.Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip);
    }
}
