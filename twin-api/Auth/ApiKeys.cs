using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CityTwin.TwinApi.Hosting;

namespace CityTwin.TwinApi.Auth;

/// <summary>
/// The configured API keys: <c>Auth:Keys:&lt;key&gt;</c> = <c>&lt;role&gt;</c> or <c>&lt;role&gt;:&lt;name&gt;</c>. The name
/// is who acted in the audit trail; a key given without one is named after its role and a digest of the key
/// (<c>operator-3fa2c1d0</c>), never the key itself. Keys are compared by their SHA-256 digests in constant time, every
/// configured key each time, so the answer's timing says nothing about how much of a key was right.
/// </summary>
public sealed partial class ApiKeys
{
    /// <summary>The keys of the demo profile (twin-api/appsettings.json): public, so for loopback only.</summary>
    public static readonly FrozenSet<string> DemoKeys = FrozenSet.Create(StringComparer.Ordinal,
        "demo-viewer-key", "demo-operator-key", "demo-planner-key", "demo-admin-key");

    private readonly (byte[] Digest, ApiCaller Caller)[] _keys;

    /// <summary>Reads the keys of <paramref name="options"/>; a role or name that is not valid fails with <see cref="CommandLineException"/>.</summary>
    public ApiKeys(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new List<(byte[], ApiCaller)>();
        var demo = new List<string>();
        foreach ((string key, string value) in options.Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            if (!options.DemoKeys && DemoKeys.Contains(key))
            {
                continue;
            }

            byte[] digest = Digest(key);
            string label = $"Auth:Keys:{key[..Math.Min(4, key.Length)]}…";
            int colon = value.IndexOf(':', StringComparison.Ordinal);
            string roleName = colon < 0 ? value : value[..colon];
            if (!Enum.TryParse(roleName, ignoreCase: true, out Role role) || !Enum.IsDefined(role) || roleName.Any(char.IsDigit))
            {
                throw new CommandLineException($"{label} has role '{roleName}'; use viewer, operator, planner or admin (optionally followed by :<name>).");
            }

            string name = colon < 0 ? $"{role.ToString().ToLowerInvariant()}-{Convert.ToHexStringLower(digest)[..8]}" : value[(colon + 1)..];
            if (!NamePattern().IsMatch(name))
            {
                throw new CommandLineException($"{label} has name '{name}'; a key's name is 1 to 64 letters, digits, '.', '_', '-' or '@'.");
            }

            keys.Add((digest, new ApiCaller(name, role)));
            if (DemoKeys.Contains(key))
            {
                demo.Add(key);
            }
        }

        _keys = [.. keys];
        DemoKeysInForce = demo;
    }

    /// <summary>The demo keys among the keys in force (empty when <c>Auth:DemoKeys</c> is false or they were not configured).</summary>
    public IReadOnlyList<string> DemoKeysInForce { get; }

    /// <summary>The caller a presented key stands for, or null for a missing or unknown key.</summary>
    public ApiCaller? Find(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        byte[] digest = Digest(key);
        ApiCaller? found = null;
        foreach ((byte[] known, ApiCaller caller) in _keys)
        {
            // No early exit: every key is compared whichever matches.
            if (CryptographicOperations.FixedTimeEquals(known, digest))
            {
                found = caller;
            }
        }

        return found;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    [GeneratedRegex(@"^[\p{L}\p{Nd}._@-]{1,64}$")]
    private static partial Regex NamePattern();
}
