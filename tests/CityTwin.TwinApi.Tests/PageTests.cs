using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The operations page at / in real headless Chromium (/usr/bin/chromium, driven by playwright-core from Node over the
/// DevTools protocol): it subscribes to an area over SignalR and shows that area's live alerts, newest first, and a
/// count of entity changes. The test starts the browser itself and kills it by its process id. A missing browser,
/// Node or node modules fails the test with the command that fixes it; it never skips.
/// </summary>
public sealed class PageTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private static readonly string BrowserTestDirectory = RepositoryRoot.Combine("tests", "CityTwin.TwinApi.Tests", "browser");

    [Fact]
    public async Task RootServesTheOperationsPageWithItsScripts()
    {
        using HttpResponseMessage page = await server.Anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"signalr.min.js\">", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"app.js\">", html, StringComparison.Ordinal);

        foreach (string script in new[] { "signalr.min.js", "app.js" })
        {
            using HttpResponseMessage js = await server.Anonymous.GetAsync(script);
            Assert.Equal(HttpStatusCode.OK, js.StatusCode);
            Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task PageShowsLiveAlertsOfTheChosenAreaNewestFirst()
    {
        RequireBrowserTooling();
        EntitySummary[] communities = server.Directory.OfType(EntityType.Area)
            .Where(s => s.Id.StartsWith("community-", StringComparison.Ordinal))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToArray();
        EntitySummary area = communities[0], elsewhere = communities[1];
        string run = Guid.NewGuid().ToString("N")[..8];
        Alert outside = AlertIn(elsewhere, $"Smoke outside the area {run}");
        Alert older = AlertIn(area, $"Gas in the stairwell {run}");
        Alert newer = AlertIn(area, $"SOS pressed on floor 3 {run}");

        using var profile = new TempDirectory();
        using Process chromium = StartChromium(profile.Path, out StringBuilder chromiumLog);
        Process? node = null;
        try
        {
            string cdp = await WaitForDevToolsAsync(profile.Path, chromium, chromiumLog);
            var stdout = new List<string>();
            var stderr = new StringBuilder();
            var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = StartNode(
                ["page-test.mjs", "--cdp", cdp, "--url", server.BaseAddress.ToString(), "--key", TwinServerFixture.ViewerKey,
                 "--area", area.Id, "--expect", newer.Message, "--absent", outside.Message],
                line =>
                {
                    lock (stdout)
                    {
                        stdout.Add(line);
                    }

                    if (line.StartsWith("SUBSCRIBED", StringComparison.Ordinal))
                    {
                        subscribed.TrySetResult();
                    }
                },
                stderr);

            string Diagnostics() => $"node stdout:\n{string.Join('\n', Snapshot(stdout))}\nnode stderr:\n{stderr}\nchromium:\n{chromiumLog}";
            Task exited = node.WaitForExitAsync();
            Task first = await Task.WhenAny(subscribed.Task, exited, Task.Delay(StepTimeout));
            Assert.True(first == subscribed.Task, $"The page did not subscribe.\n{Diagnostics()}");

            // Out of the area first: pushes keep their order, so once the newest is shown this one would be too.
            AlertBus bus = server.Alerts;
            await bus.PublishAsync(outside);
            await bus.PublishAsync(older);
            await bus.PublishAsync(newer);
            EntitySummary change = new("sensor-page-" + run, EntityType.Sensor, "gas", null, "alarm", area.Position, DateTimeOffset.UtcNow)
            {
                CommunityId = area.Id,
                StreetId = area.ParentId,
                Value = 42,
            };
            server.Feeds.EntityChanges.Publish(change);

            bool done = await Task.WhenAny(exited, Task.Delay(StepTimeout)) == exited;
            Assert.True(done, $"The browser script did not finish within {StepTimeout}.\n{Diagnostics()}");
            Assert.True(node.ExitCode == 0, $"The browser script failed (exit {node.ExitCode}).\n{Diagnostics()}");

            string seen = Snapshot(stdout).Single(l => l.StartsWith("SEEN ", StringComparison.Ordinal))["SEEN ".Length..];
            using JsonDocument result = JsonDocument.Parse(seen);
            JsonElement[] alerts = [.. result.RootElement.GetProperty("alerts").EnumerateArray()];
            Assert.Equal(2, alerts.Length);
            Assert.Contains(newer.Message, alerts[0].GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Contains(older.Message, alerts[1].GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Contains("critical", alerts[0].GetProperty("className").GetString(), StringComparison.Ordinal);
            // The live fixture's own grains may change entities in the area too, so the published change is a lower bound.
            Assert.True(int.Parse(result.RootElement.GetProperty("entityCount").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
            Assert.Contains(area.Id, result.RootElement.GetProperty("status").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Kill(node);
            Kill(chromium);
            node?.Dispose();
        }
    }

    private static void RequireBrowserTooling()
    {
        Assert.True(File.Exists(ChromiumPath),
            $"Chromium is missing at {ChromiumPath}: install it with `apt-get install -y chromium` (test.sh does this).");
        string playwright = Path.Combine(BrowserTestDirectory, "node_modules", "playwright-core", "package.json");
        Assert.True(File.Exists(playwright),
            $"playwright-core is not installed in {BrowserTestDirectory}: run `npm ci` there (test.sh does this).");
        try
        {
            using Process version = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            version.WaitForExit(10_000);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"Node.js is not on PATH ({e.Message}): install Node 20 to run the page test.");
        }
    }

    private static Process StartChromium(string profile, out StringBuilder log)
    {
        var info = new ProcessStartInfo(ChromiumPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0", "about:blank",
        })
        {
            info.ArgumentList.Add(a);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log = output;
        return process;
    }

    // Chromium writes the port it chose and the browser's DevTools path to DevToolsActivePort in its profile.
    private static async Task<string> WaitForDevToolsAsync(string profile, Process chromium, StringBuilder log)
    {
        string file = Path.Combine(profile, "DevToolsActivePort");
        DateTime deadline = DateTime.UtcNow + StepTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (chromium.HasExited)
            {
                Assert.Fail($"Chromium exited with code {chromium.ExitCode} before opening DevTools:\n{log}");
            }

            if (File.Exists(file) && (await File.ReadAllLinesAsync(file)) is [string port, string path, ..] && port.Length > 0)
            {
                return $"ws://127.0.0.1:{port}{path}";
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Chromium opened no DevTools port within {StepTimeout}:\n{log}");
        return string.Empty;
    }

    private static Process StartNode(string[] args, Action<string> onLine, StringBuilder stderr)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = BrowserTestDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Kill(Process? process)
    {
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                // The whole tree: Chromium's renderer and utility processes go with it.
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private static string[] Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    private static Alert AlertIn(EntitySummary community, string message) => new(
        Id: "page-" + Guid.NewGuid().ToString("N"),
        Channel: "alert",
        Kind: "gas",
        Severity: AlertSeverity.Critical,
        Message: message,
        EntityType: EntityType.Sensor,
        EntityId: "sensor-page-test",
        Position: community.Position,
        At: DateTimeOffset.UtcNow,
        BuildingId: null,
        GridId: null,
        CommunityId: community.Id,
        StreetId: community.ParentId,
        Recipients: []);
}
