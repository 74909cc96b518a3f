using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.TestSupport;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The operations map at / in real headless Chromium (/usr/bin/chromium, driven by playwright-core from Node over the
/// DevTools protocol), by clicks: an operator sees a gas alarm turn its sensor red, opens the sensor and accepts a case;
/// a viewer sees no case buttons; a planner runs the stock flood and gas scenarios and moves the slider to the peak.
/// Screenshots are kept in the test's output directory (page-artifacts/) and checked by their pixels. The test starts
/// the browser itself and kills it by its process id. A missing browser, Node or node modules fails the test with the
/// command that fixes it; it never skips.
/// </summary>
public sealed class PageTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FlowTimeout = TimeSpan.FromMinutes(4);
    private static readonly string BrowserTestDirectory = RepositoryRoot.Combine("tests", "CityTwin.TwinApi.Tests", "browser");

    /// <summary>Where the screenshots of the browser flow are kept.</summary>
    public static string ArtifactDirectory => Path.Combine(AppContext.BaseDirectory, "page-artifacts");

    [Fact]
    public async Task RootServesTheMapPageWithItsLibrariesFromTheBuild()
    {
        using HttpResponseMessage page = await server.Anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"app.js\">", html, StringComparison.Ordinal);

        // The libraries come from npm through the build, not from the repository.
        foreach ((string path, string type) in new[]
        {
            ("app.js", "text/javascript"), ("lib/maplibre-gl.mjs", "text/javascript"), ("lib/signalr.min.js", "text/javascript"),
            ("lib/uPlot.iife.min.js", "text/javascript"), ("lib/maplibre-gl.css", "text/css"), ("map.css", "text/css"),
        })
        {
            using HttpResponseMessage file = await server.Anonymous.GetAsync(path);
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{path}: {file.StatusCode}");
            Assert.Equal(type, file.Content.Headers.ContentType?.MediaType);
        }

        Assert.False(Directory.Exists(RepositoryRoot.Combine("twin-api", "wwwroot", "lib")), "library files are in the source tree's wwwroot");
        Assert.False(File.Exists(RepositoryRoot.Combine("twin-api", "wwwroot", "signalr.min.js")), "a copied SignalR client is in the source tree");
    }

    [Fact]
    public async Task OperatorsAndPlannersWorkOnTheMapByClicks()
    {
        RequireBrowserTooling();
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor)
            .Where(s => string.Equals(s.Kind, nameof(SensorKind.Gas), StringComparison.OrdinalIgnoreCase) && s.BuildingId is not null && s.Status == "normal")
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .First();
        // The case is reported away from the alarm, so neither hides the other on the map.
        EntitySummary alarmed = server.Directory.Get(EntityType.Building, sensor.BuildingId!)!;
        EntitySummary caseBuilding = server.Directory.OfType(EntityType.Building)
            .Where(b => Math.Abs(b.Position.Lon - alarmed.Position.Lon) + Math.Abs(b.Position.Lat - alarmed.Position.Lat) > 0.005)
            .OrderBy(b => b.Id, StringComparer.Ordinal)
            .First();
        string artifacts = ArtifactDirectory;
        if (Directory.Exists(artifacts))
        {
            Directory.Delete(artifacts, recursive: true);
        }

        using var profile = new TempDirectory();
        using Process chromium = StartChromium(profile.Path, out StringBuilder chromiumLog);
        Process? node = null;
        try
        {
            string cdp = await WaitForDevToolsAsync(profile.Path, chromium, chromiumLog);
            var stdout = new List<string>();
            var stderr = new StringBuilder();
            node = StartNode(
                ["map-test.mjs", "--cdp", cdp, "--url", server.BaseAddress.ToString(), "--out", artifacts,
                 "--operator", TwinServerFixture.OperatorKey, "--viewer", TwinServerFixture.ViewerKey, "--planner", TwinServerFixture.PlannerKey,
                 "--sensor", sensor.Id, "--value", "60",
                 "--case-at", FormattableString.Invariant($"{caseBuilding.Position.Lon},{caseBuilding.Position.Lat}"), "--case-category", "noise"],
                line =>
                {
                    lock (stdout)
                    {
                        stdout.Add(line);
                    }
                },
                stderr);

            string Diagnostics() => $"node stdout:\n{string.Join('\n', Snapshot(stdout))}\nnode stderr:\n{stderr}\nchromium:\n{chromiumLog}";
            Task exited = node.WaitForExitAsync();
            bool done = await Task.WhenAny(exited, Task.Delay(FlowTimeout)) == exited;
            Assert.True(done, $"The browser script did not finish within {FlowTimeout}.\n{Diagnostics()}");
            Assert.True(node.ExitCode == 0, $"The browser script failed (exit {node.ExitCode}).\n{Diagnostics()}");

            string line = Snapshot(stdout).Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal))["RESULT ".Length..];
            using JsonDocument result = JsonDocument.Parse(line);
            Dictionary<string, JsonElement> steps = result.RootElement.GetProperty("steps").EnumerateArray()
                .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.Clone());

            // Everything of the twin is on the map: every entity the server holds, and every open case.
            int expected = server.Directory.Count - server.Directory.OfType(EntityType.Case).Count();
            Assert.True(steps["opened"].GetProperty("entities").GetInt32() >= expected, $"the map shows {steps["opened"].GetProperty("entities")} of {expected} entities");

            // The alarmed sensor is red on the screenshot, where the page says it is.
            JsonElement red = steps["alarm"].GetProperty("sensorColour");
            Assert.True(red.GetProperty("r").GetInt32() > 180 && red.GetProperty("g").GetInt32() < 90 && red.GetProperty("b").GetInt32() < 90, $"the alarmed sensor is drawn {red}");
            Assert.True(steps["sensor-clicked"].GetProperty("showsAlarm").GetBoolean());
            Assert.True(steps["sensor-clicked"].GetProperty("readings").GetInt32() >= 1, "the sensor's history chart has no reading");

            // The case went through the operator's buttons and shows them in its timeline; its dot is drawn in the accepted colour.
            Assert.Contains("accept", steps["case-accepted"].GetProperty("taken").EnumerateArray().Select(a => a.GetString()));
            Assert.Contains(steps["case-accepted"].GetProperty("timeline").EnumerateArray(), e => e.GetString()!.Contains("accept", StringComparison.Ordinal));
            JsonElement purple = steps["case-accepted"].GetProperty("caseColour");
            Assert.True(purple.GetProperty("b").GetInt32() > purple.GetProperty("g").GetInt32() + 40 && purple.GetProperty("r").GetInt32() > purple.GetProperty("g").GetInt32(), $"the accepted case is drawn {purple}");
            Assert.Equal(0, steps["viewer"].GetProperty("viewerButtons").GetInt32());
            Assert.Equal("viewer", steps["viewer"].GetProperty("role").GetString());

            // Tablet width: the map and the panel stack, and nothing scrolls sideways.
            JsonElement tablet = steps["tablet"];
            Assert.True(tablet.GetProperty("mapHeight").GetDouble() > 300 && tablet.GetProperty("panelHeight").GetDouble() > 100, tablet.ToString());
            Assert.True(tablet.GetProperty("overflow").GetDouble() <= 0, tablet.ToString());

            // Flood: a cell flooded by the peak is deep blue there on the screenshot, and was not at the start of the run
            // (a dry cell is light; the river's own cells are a lighter blue). Gas: the strongest plume cell is orange to brown.
            JsonElement blue = steps["flood-peak"].GetProperty("floodColour"), before = steps["flood-peak"].GetProperty("startColour");
            Assert.True(blue.GetProperty("b").GetInt32() > blue.GetProperty("r").GetInt32() + 60 && blue.GetProperty("r").GetInt32() < 80, $"the flooded cell is drawn {blue} at the peak");
            Assert.True(before.GetProperty("r").GetInt32() > 90, $"the flooded cell is drawn {before} at the start, before the water came");
            Assert.True(steps["flood-peak"].GetProperty("floodTimeline").GetInt32() > 0);
            JsonElement plume = steps["gas-run"].GetProperty("gasColour");
            Assert.True(plume.GetProperty("r").GetInt32() > plume.GetProperty("b").GetInt32() + 60, $"the plume is drawn {plume}");
            Assert.True(steps["gas-run"].GetProperty("evacuation").GetInt32() > 0, "the gas run lists no building to evacuate");

            Assert.Empty(result.RootElement.GetProperty("errors").EnumerateArray());
            Assert.Empty(result.RootElement.GetProperty("foreign").EnumerateArray());
            foreach (string png in new[] { "live-map.png", "selected-case.png", "flood-start.png", "flood-peak.png", "gas-run.png" })
            {
                Assert.True(new FileInfo(Path.Combine(artifacts, png)).Length > 10_000, $"{png} is missing or blank");
            }
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
            "--remote-debugging-port=0", "--window-size=1366,768",

            // WebGL (the map) with no GPU: Chromium draws it with SwiftShader only when told to.
            "--enable-unsafe-swiftshader", "about:blank",
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
}
