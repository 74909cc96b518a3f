using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The real citytwin executable in its own process, on a free loopback port, stopped by the test that started it
/// (by its own process id). Used where only a real process will do: crash and restart behaviour.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultReadyWithin = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringWriter _output = new();

    private ServerProcess(Process process, Uri address, string apiKey)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
    }

    /// <summary>The server's base address.</summary>
    public Uri Address { get; }

    /// <summary>A client for the server.</summary>
    public HttpClient Client { get; }

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts citytwin with <paramref name="args"/> in <paramref name="workingDirectory"/> and waits until /health answers.</summary>
    public static Task<ServerProcess> StartAsync(string workingDirectory, params string[] args) =>
        StartAsync(workingDirectory, "127.0.0.1", "demo-operator-key", DefaultReadyWithin, args);

    /// <summary>As <see cref="StartAsync(string, string[])"/>, waiting at most <paramref name="readyWithin"/> for /health (a silo joining a busy cluster restores more).</summary>
    public static Task<ServerProcess> StartAsync(string workingDirectory, TimeSpan readyWithin, params string[] args) =>
        StartAsync(workingDirectory, "127.0.0.1", "demo-operator-key", readyWithin, args);

    /// <summary>
    /// Starts citytwin listening on <paramref name="listenHost"/> (e.g. 0.0.0.0, every interface) at a free port, with a
    /// client sending <paramref name="apiKey"/> to its loopback address, and waits until /health answers.
    /// </summary>
    public static Task<ServerProcess> StartAsync(string workingDirectory, string listenHost, string apiKey, params string[] args) =>
        StartAsync(workingDirectory, listenHost, apiKey, DefaultReadyWithin, args);

    private static async Task<ServerProcess> StartAsync(string workingDirectory, string listenHost, string apiKey, TimeSpan readyWithin, string[] args)
    {
        int port = FreePort();
        string dll = Path.Combine(AppContext.BaseDirectory, "citytwin.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        // The demo profile simulates traffic; these tests send their own inputs.
        info.ArgumentList.Add("--Simulation:Enabled");
        info.ArgumentList.Add("false");
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://{listenHost}:{port}");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start citytwin");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), apiKey);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync(readyWithin);
        return server;
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Stops the process gracefully (SIGTERM, as Ctrl-C or a service manager would) and waits until it exited.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Client.Dispose();
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(TimeSpan readyWithin)
    {
        var deadline = DateTime.UtcNow + readyWithin;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"citytwin exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using HttpResponseMessage r = await Client.GetAsync("health");
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await KillAsync();
        throw new TimeoutException($"citytwin did not become healthy in {readyWithin.TotalSeconds:0} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.WriteLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
