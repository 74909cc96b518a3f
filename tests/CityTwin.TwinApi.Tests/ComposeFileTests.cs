using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;
using CityTwin.TestSupport;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Validates docker-compose.yml with the real <c>docker-compose config</c> (no Docker engine needed) and
/// checks that the resolved file runs three citytwin silos of one cluster on PostgreSQL, each on a port of its own.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(90);

    // `docker-compose config` runs once for the class; every test reads the same resolved file.
    private static readonly Lazy<Task<ComposeConfig>> _config = new(ResolveComposeConfigAsync);

    // The silos of the cluster and the host port each publishes.
    private static readonly (string Service, string HostPort)[] Silos = [("citytwin-1", "5080"), ("citytwin-2", "5081"), ("citytwin-3", "5082")];

    [Fact]
    public async Task Compose_file_is_valid_and_has_postgres_and_three_silos()
    {
        var config = await _config.Value;

        Assert.Contains("postgres", config.Services.Keys);
        Assert.All(Silos, silo => Assert.Contains(silo.Service, config.Services.Keys));
        Assert.Contains(config.Services["postgres"], line => line.Contains("image: postgis/postgis:15", StringComparison.Ordinal));
        Assert.Contains(config.Services["postgres"], line => line.Contains("pg_isready", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_silo_depends_on_a_healthy_postgres()
    {
        foreach ((string service, _) in Silos)
        {
            var silo = (await _config.Value).Services[service];
            var dependsOn = Section(silo, "depends_on");
            Assert.True(
                dependsOn.Any(line => line.Trim() is "postgres:" or "- postgres"),
                $"{service} does not depend on postgres:\n" + string.Join('\n', silo));
            Assert.Contains(dependsOn, line => line.Contains("condition: service_healthy", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Every_silo_uses_the_postgres_store()
    {
        foreach ((string service, _) in Silos)
        {
            var silo = (await _config.Value).Services[service];
            var text = string.Join('\n', silo);

            var storeFromEnvironment = silo.Any(line => StoreKindPostgres().IsMatch(line));
            var command = Command(silo);
            var storeFromCommand = ValueOf(command, "--store") == "postgres";
            Assert.True(storeFromEnvironment || storeFromCommand, $"{service} is not configured for the postgres store:\n" + text);

            // The connection string must name the compose service as the database host.
            Assert.Matches("Host=postgres[;\\s]", text);
        }
    }

    [Fact]
    public async Task The_silos_join_one_cluster_each_with_its_own_name_and_address()
    {
        var config = await _config.Value;
        var commands = Silos.Select(s => Command(config.Services[s.Service])).ToArray();

        // One cluster id for all; a fixed silo port each can be reached on; each advertises its own service name.
        Assert.Single(commands.Select(c => ValueOf(c, "--cluster")).Distinct());
        Assert.All(commands, c => Assert.False(string.IsNullOrEmpty(ValueOf(c, "--cluster")), "a silo has no --cluster: " + string.Join(' ', c)));
        Assert.All(commands, c => Assert.True(int.TryParse(ValueOf(c, "--silo-port"), out int port) && port > 0, "a silo has no fixed --silo-port: " + string.Join(' ', c)));
        Assert.Equal(Silos.Select(s => s.Service), commands.Select(c => ValueOf(c, "--Cluster:Address")));
        Assert.Equal(Silos.Length, commands.Select(c => ValueOf(c, "--Silo:Name")).Distinct().Count());
    }

    [Fact]
    public async Task Every_silo_listens_on_port_5080_and_publishes_its_own_host_port()
    {
        foreach ((string service, string hostPort) in Silos)
        {
            var silo = (await _config.Value).Services[service];
            var text = string.Join('\n', silo);

            var ports = string.Join('\n', Section(silo, "ports"));
            var published = ports.Contains($"{hostPort}:5080", StringComparison.Ordinal) ||
                (Regex.IsMatch(ports, $@"published:\s*['""]?{hostPort}['""]?") && TargetPort().IsMatch(ports));
            Assert.True(published, $"{service} does not publish port {hostPort} to 5080:\n" + text);

            // Inside the container the server must listen on every interface, not just loopback.
            Assert.Matches("(0\\.0\\.0\\.0|\\+|\\*|\\[::\\]):5080", text);
        }
    }

    // The command of a service as a list of arguments (config prints one per line, as "- arg").
    private static List<string> Command(IReadOnlyList<string> serviceLines) =>
        Section(serviceLines, "command").Select(line => line.Trim().TrimStart('-').Trim().Trim('\'', '"')).ToList();

    private static string? ValueOf(List<string> command, string option)
    {
        int at = command.IndexOf(option);
        return at >= 0 && at + 1 < command.Count ? command[at + 1] : null;
    }

    private static IEnumerable<string> Section(IReadOnlyList<string> serviceLines, string key)
    {
        // Service keys sit at four spaces in `config` output; a section runs until the next key at that depth.
        var start = -1;
        for (var i = 0; i < serviceLines.Count; i++)
        {
            if (serviceLines[i].StartsWith($"    {key}:", StringComparison.Ordinal))
            {
                start = i;
                break;
            }
        }

        if (start < 0)
        {
            yield break;
        }

        var inline = serviceLines[start][($"    {key}:".Length)..].Trim();
        if (inline.Length > 0)
        {
            yield return inline;
        }

        for (var i = start + 1; i < serviceLines.Count && IsDeeperThanServiceKey(serviceLines[i]); i++)
        {
            yield return serviceLines[i];
        }
    }

    private static bool IsDeeperThanServiceKey(string line) =>
        line.StartsWith("     ", StringComparison.Ordinal) || line.StartsWith("    -", StringComparison.Ordinal);

    private static async Task<ComposeConfig> ResolveComposeConfigAsync()
    {
        var composeFile = RepositoryRoot.Combine("docker-compose.yml");
        Assert.True(File.Exists(composeFile), $"{composeFile} does not exist");

        var startInfo = new ProcessStartInfo("docker-compose")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-f");
        startInfo.ArgumentList.Add(composeFile);
        startInfo.ArgumentList.Add("config");

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"docker-compose is not installed ({ex.Message}). Run ./test.sh, which installs it, " +
                "or install Debian's docker-compose package.");
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var cts = new CancellationTokenSource(_timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"docker-compose config did not finish within {_timeout.TotalSeconds} s and was killed.");
            }
        }

        var output = await stdout;
        var errors = await stderr;
        Assert.True(process.ExitCode == 0,
            $"docker-compose config exited with {process.ExitCode}:\n{errors}\n{output}");

        return ComposeConfig.Parse(output);
    }

    [GeneratedRegex(@"^\s*Store__Kind:\s*['""]?postgres['""]?\s*$")]
    private static partial Regex StoreKindPostgres();

    [GeneratedRegex(@"target:\s*['""]?5080['""]?")]
    private static partial Regex TargetPort();

    /// <summary>The resolved compose file, as the lines of each service under <c>services:</c>.</summary>
    private sealed record ComposeConfig(IReadOnlyDictionary<string, IReadOnlyList<string>> Services)
    {
        public static ComposeConfig Parse(string yaml)
        {
            var services = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            List<string>? current = null;
            var inServices = false;
            foreach (var raw in yaml.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                if (line.Length == 0)
                {
                    continue;
                }

                if (!line.StartsWith(' '))
                {
                    inServices = line == "services:";
                    current = null;
                    continue;
                }

                if (!inServices)
                {
                    continue;
                }

                if (line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal) && line.EndsWith(':'))
                {
                    current = [];
                    services[line.Trim().TrimEnd(':')] = current;
                }
                else
                {
                    current?.Add(line);
                }
            }

            Assert.True(services.Count > 0, "docker-compose config printed no services:\n" + yaml);
            return new ComposeConfig(services);
        }
    }
}
