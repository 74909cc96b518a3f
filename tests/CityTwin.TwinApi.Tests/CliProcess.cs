using System.Diagnostics;

namespace CityTwin.TwinApi.Tests;

/// <summary>Runs the real citytwin executable to its end (at most two minutes) and gives its exit code and output.</summary>
internal static class CliProcess
{
    /// <summary>
    /// Runs citytwin with <paramref name="args"/> in <paramref name="workingDirectory"/>, with <paramref name="environment"/>
    /// added to its environment; stdout and stderr together.
    /// </summary>
    public static async Task<(int Code, string Output)> RunAsync(string[] args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "citytwin.dll"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
