using System.Diagnostics;
using CityTwin.Scenarios.District;
using CityTwin.TestSupport;

namespace CityTwin.TwinApi.Tests;

/// <summary>The citytwin command line, run as a real process.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Generate_writes_a_district_file_that_is_identical_for_the_same_seed()
    {
        using var dir = new TempDirectory();
        (int first, string output) = await RunAsync("generate", "--buildings", "500", "--seed", "11", "--out", dir.Combine("a.json"));
        (int second, _) = await RunAsync("generate", "--buildings", "500", "--seed", "11", "--out", dir.Combine("b.json"));

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        Assert.Contains("500 buildings", output);
        Assert.Equal(await File.ReadAllBytesAsync(dir.Combine("a.json")), await File.ReadAllBytesAsync(dir.Combine("b.json")));
        District district = await DistrictFile.ReadAsync(dir.Combine("a.json"));
        Assert.Equal(500, district.Buildings.Length);
        Assert.Equal(11, district.Options.Seed);
    }

    [Theory]
    [InlineData("--buildings|x|--out|d.json", "--buildings must be a whole number")]
    [InlineData("--buildings|10", "--out is required")]
    [InlineData("--colour|red|--out|d.json", "unknown option '--colour'")]
    [InlineData("--seed", "needs a value")]
    public async Task Generate_rejects_bad_arguments_with_a_message_and_a_non_zero_exit(string args, string message)
    {
        using var dir = new TempDirectory();
        (int code, string output) = await RunAsync(["generate", .. args.Split('|')], dir.Path);

        Assert.Equal(2, code);
        Assert.Contains(message, output);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Serve_with_an_unreachable_database_exits_with_a_message_that_names_it()
    {
        using var dir = new TempDirectory();
        (int code, string output) = await RunAsync(
            ["serve", "--store", "postgres", "--connection", "Host=127.0.0.1;Port=1;Username=citytwin;Password=secret-pw;Database=twin", "--urls", "http://127.0.0.1:0"], dir.Path);

        Assert.Equal(1, code);
        Assert.Contains("Could not open the PostgreSQL store at 127.0.0.1:1/twin", output);
        Assert.DoesNotContain("secret-pw", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Serve_with_an_unknown_store_exits_with_a_message()
    {
        using var dir = new TempDirectory();
        (int code, string output) = await RunAsync(["serve", "--store", "floppy", "--urls", "http://127.0.0.1:0"], dir.Path);

        Assert.Equal(2, code);
        Assert.Contains("Unknown store 'floppy'", output);
    }

    [Fact]
    public async Task An_unknown_verb_prints_usage_and_fails()
    {
        (int code, string output) = await RunAsync("frobnicate");

        Assert.Equal(2, code);
        Assert.Contains("unknown command 'frobnicate'", output);
        Assert.Contains("usage: citytwin", output);
    }

    private static Task<(int Code, string Output)> RunAsync(params string[] args) => RunAsync(args, Path.GetTempPath());

    private static async Task<(int Code, string Output)> RunAsync(string[] args, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
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
