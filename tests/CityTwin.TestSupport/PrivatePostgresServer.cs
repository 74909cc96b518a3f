using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CityTwin.TestSupport;

/// <summary>
/// A PostgreSQL 15 server of one test's own (initdb in a temporary directory, pg_ctl on a free loopback port), which the
/// test may stop and start again (outages) without touching the shared server of test.sh that other tests use. Run as
/// the postgres user when the tests run as root (initdb refuses root), as test.sh does; stopped and removed on disposal.
/// </summary>
public sealed class PrivatePostgresServer : IAsyncDisposable
{
    /// <summary>Where Debian's postgresql-15 package puts the server binaries (test.sh installs it).</summary>
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly TempDirectory _directory;
    private readonly string _data;
    private bool _running;

    private PrivatePostgresServer(TempDirectory directory, int port)
    {
        _directory = directory;
        _data = directory.Combine("data");
        Port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres" }.ConnectionString;
    }

    /// <summary>The loopback port the server listens on (the same after every restart).</summary>
    public int Port { get; }

    /// <summary>An Npgsql connection string for the server's postgres database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates a cluster with initdb and starts it on a free loopback port.</summary>
    public static async Task<PrivatePostgresServer> StartAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/initdb is missing): run ./test.sh, which installs it.");
        }

        var directory = new TempDirectory();
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", ["postgres", directory.Path]);
            }

            await RunAsync(Path.Combine(BinDirectory, "initdb"), ["-D", directory.Combine("data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], asPostgres: true);

            // Another process may take the port between the probe and the bind: then try a fresh one.
            for (int attempt = 1; ; attempt++)
            {
                var server = new PrivatePostgresServer(directory, FreePortBelowEphemeralRange());
                try
                {
                    await server.StartAgainAsync();
                    return server;
                }
                catch (InvalidOperationException) when (attempt < 5)
                {
                    await server.StopQuietlyAsync();
                }
            }
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Starts the stopped server again on its port and waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        string options = $"-p {Port} -k {_directory.Path} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", _data, "-l", _directory.Combine("postgres.log"), "-w", "-t", "60", "-o", options, "start"], asPostgres: true);
        _running = true;
    }

    /// <summary>Stops the server as an operator would (fast: open sessions are ended, nothing committed is lost) and waits until it is down.</summary>
    public async Task StopAsync()
    {
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", _data, "-m", "fast", "-w", "stop"], asPostgres: true);
        _running = false;
    }

    /// <summary>A new empty database on this server, dropped on disposal.</summary>
    public Task<PostgresDatabase> CreateDatabaseAsync() => PostgresDatabase.CreateAsync(ConnectionString);

    /// <summary>Stops the server (immediately) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopQuietlyAsync();
        _directory.Dispose();
    }

    private static bool IsRoot => Environment.UserName == "root";

    private async Task StopQuietlyAsync()
    {
        if (!_running && !File.Exists(Path.Combine(_data, "postmaster.pid")))
        {
            return;
        }

        try
        {
            await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", _data, "-m", "immediate", "-w", "stop"], asPostgres: true);
        }
        catch (InvalidOperationException)
        {
            // Not running after all.
        }

        _running = false;
    }

    // Below Linux's ephemeral range (32768+): while the server is down, a client's outgoing connection could otherwise be
    // given the port as its own and connect to itself.
    private static int FreePortBelowEphemeralRange()
    {
        for (int i = 0; i < 200; i++)
        {
            int port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try another.
            }
        }

        throw new InvalidOperationException("no free loopback port below 32000 found");
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres = false)
    {
        var info = new ProcessStartInfo(asPostgres && IsRoot ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && IsRoot)
        {
            foreach (string a in (string[])["-u", "postgres", "--", file])
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string printed = await output + await error;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {process.ExitCode}:\n{printed}"));
        }
    }
}
