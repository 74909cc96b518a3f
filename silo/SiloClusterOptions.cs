using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;

namespace CityTwin.Silo;

/// <summary>
/// Whether the live silo forms or joins a cluster of silos on the PostgreSQL store (the "Cluster" configuration section,
/// <c>--cluster</c>): without an <see cref="Id"/> it is one silo with localhost clustering, as forks and tests run.
/// </summary>
public sealed class SiloClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cluster";

    /// <summary>The cluster to form or join (Orleans' cluster id, the membership table's DeploymentId); null for one silo.</summary>
    [StringLength(150, MinimumLength = 1)]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]*$", ErrorMessage = "The cluster id must be letters, digits, '.', '_' or '-', starting with a letter or digit.")]
    public string? Id { get; set; }

    /// <summary>
    /// The address other silos reach this one at (an IP address or a host name resolved at start). On loopback the silo
    /// listens there only; on any other address it listens on every interface (a container's).
    /// </summary>
    [Required]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>True when the silo is to form or join a cluster.</summary>
    public bool IsClustered => !string.IsNullOrEmpty(Id);

    /// <summary>The <see cref="Address"/> as an IP address: parsed, or the first IPv4 address its host name resolves to.</summary>
    /// <exception cref="InvalidOperationException">The address is neither an IP address nor a host name that resolves.</exception>
    public IPAddress ResolveAddress()
    {
        if (IPAddress.TryParse(Address, out IPAddress? parsed))
        {
            return parsed;
        }

        try
        {
            IPAddress[] found = Dns.GetHostAddresses(Address);
            return found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? found.FirstOrDefault()
                ?? throw new InvalidOperationException($"Cluster:Address '{Address}' resolves to no address.");
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"Cluster:Address '{Address}' is not an IP address and does not resolve: {e.Message}", e);
        }
    }
}
