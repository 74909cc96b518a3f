using System.Net;
using System.Net.Sockets;
using CityTwin.TestSupport;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// <c>citytwin serve --cluster</c> as a real process: cluster options that are unknown, malformed or do not fit the store
/// are refused with exit code 2 before anything is opened; a silo port in use or an unreachable database stops the
/// server at once with exit code 1 and a message that says which.
/// </summary>
public sealed class ClusterOptionsTests
{
    // Validation comes before the store is opened, so the database need not exist.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Username=citytwin;Password=secret-pw;Database=twin";

    [Theory]
    [InlineData("--store|memory|--cluster|c1", "--cluster needs --store postgres")]
    [InlineData("--store|sqlite|--cluster|c1", "--cluster needs --store postgres")]
    [InlineData("--store|postgres|--connection|" + Unreachable + "|--cluster|two words", "cluster id must be letters")]
    [InlineData("--store|postgres|--connection|" + Unreachable + "|--cluster|c1|--silo-port|70000", "SiloPort")]
    [InlineData("--store|postgres|--connection|" + Unreachable + "|--cluster|c1|--silo-port|eleven", "Silo:SiloPort")]
    [InlineData("--store|postgres|--connection|" + Unreachable + "|--cluster|c1|--silo-port|12000|--gateway-port|12000", "both 12000")]
    [InlineData("--store|postgres|--connection|" + Unreachable + "|--clustre|c1", "unknown option '--clustre'")]
    [InlineData("--store|postgres|--connection|" + Unreachable + "|--cluster|c1|--Cluster:Adress|127.0.0.2", "Adress")]
    [InlineData("--store|postgres|--connection|" + Unreachable + "|--cluster", "option '--cluster' needs a value")]
    public async Task Serve_refuses_bad_cluster_options_with_exit_code_2_and_opens_nothing(string args, string message)
    {
        using var dir = new TempDirectory();
        (int code, string output) = await RunAsync([.. args.Split('|'), "--urls", "http://127.0.0.1:0"], dir.Path);

        Assert.True(code == 2, $"exit code {code}:\n{output}");
        Assert.Contains(message, output);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("secret-pw", output);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Serve_with_its_silo_port_in_use_exits_with_a_message_that_names_the_port()
    {
        using var dir = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        (int code, string output) = await RunAsync(
            ["--store", "postgres", "--connection", Unreachable, "--cluster", "c1", "--silo-port", port.ToString(), "--urls", "http://127.0.0.1:0"], dir.Path);

        Assert.True(code == 1, $"exit code {code}:\n{output}");
        Assert.Contains($"silo-to-silo port (--silo-port) {port}", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Serve_joining_a_cluster_on_an_unreachable_database_exits_with_a_message_that_names_it()
    {
        using var dir = new TempDirectory();
        (int code, string output) = await RunAsync(["--store", "postgres", "--connection", Unreachable, "--cluster", "c1", "--urls", "http://127.0.0.1:0"], dir.Path);

        Assert.True(code == 1, $"exit code {code}:\n{output}");
        Assert.Contains("Could not open the PostgreSQL store at 127.0.0.1:1/twin", output);
        Assert.DoesNotContain("secret-pw", output);
        Assert.DoesNotContain("   at ", output);
    }

    private static Task<(int Code, string Output)> RunAsync(string[] args, string workingDirectory) => CliProcess.RunAsync(["serve", .. args], workingDirectory);
}
