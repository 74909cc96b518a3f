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

    [Theory]
    [InlineData("--warmup|-1s", "--warmup must be a duration such as 0, 30, 90s or 2m")]
    [InlineData("--duration|0s", "--duration must be a positive duration")]
    [InlineData("--rate|fast", "--rate must be a positive number")]
    public async Task Load_rejects_bad_arguments_with_a_message_and_exit_code_2(string args, string message)
    {
        using var dir = new TempDirectory();
        (int code, string output) = await RunAsync(["load", "--store", "memory", .. args.Split('|')], dir.Path);

        Assert.Equal(2, code);
        Assert.Contains(message, output);
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

    [Theory]
    [InlineData("--stroe|memory", "unknown option '--stroe'")]
    [InlineData("--store|memory|--Scenaros:MaxConcurrentRuns|3", "unknown option '--Scenaros:MaxConcurrentRuns'")]
    [InlineData("--store|memory|-v", "unknown option '-v'")]
    [InlineData("--store|memory|extra", "unknown option 'extra'")]
    [InlineData("--store", "option '--store' needs a value")]
    [InlineData("--store|memory|--Silo:MaxQueLength|3", "MaxQueLength")]
    public async Task Serve_refuses_an_unknown_option_with_exit_code_2_and_opens_nothing(string args, string message)
    {
        using var dir = new TempDirectory();
        (int code, string output) = await RunAsync(["serve", .. args.Split('|'), "--urls", "http://127.0.0.1:0"], dir.Path);

        Assert.Equal(2, code);
        Assert.Contains(message, output);
        Assert.DoesNotContain("   at ", output);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("--Auth:AllowAnonymousRead|maybe", "'maybe' at 'Auth:AllowAnonymousRead'")]
    [InlineData("--Silo:ResponseTimeout|soon", "Silo:ResponseTimeout")]
    [InlineData("--District:Buildings|many", "District:Buildings")]
    [InlineData("--Scenarios:MaxConcurrentRuns|0", "Scenarios:MaxConcurrentRuns is 0")]
    [InlineData("--Api:MaxBatchSize|-1", "section Api")]
    [InlineData("--Silo:MaxQueueLengthPerGrain|0", "section Silo")]
    [InlineData("--Hub:ConnectionQueue|0", "Hub:ConnectionQueue")]
    [InlineData("--Simulation:ReadingsPerSecond|-1", "section Simulation")]
    public async Task Serve_refuses_a_malformed_or_out_of_range_setting_with_exit_code_2_before_opening_the_store(string args, string message)
    {
        using var dir = new TempDirectory();
        string[] setting = args.Split('|');
        (int code, string output) = await RunAsync(["serve", .. setting, "--urls", "http://127.0.0.1:0"], dir.Path);

        Assert.Equal(2, code);
        Assert.Contains(message, output);
        Assert.Contains(setting[0][2..].Split(':')[1], output);
        Assert.DoesNotContain("   at ", output);
        // The default SQLite store under ./data was never created.
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Serve_with_a_malformed_district_file_exits_with_code_2_and_a_message()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("district.json"), """{"buildings": 3""");
        (int code, string output) = await RunAsync(["serve", "--store", "memory", "--district", "district.json", "--urls", "http://127.0.0.1:0"], dir.Path);

        Assert.Equal(2, code);
        Assert.Contains("District file 'district.json' is malformed", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Theory]
    [InlineData("--urls|http://0.0.0.0:0", null, "demo-admin-key|anonymous reading")]
    [InlineData("", "http://0.0.0.0:0", "demo-admin-key|anonymous reading")]
    [InlineData("--urls|http://[::]:0|--Auth:DemoKeys|false", null, "anonymous reading")]
    [InlineData("--urls|http://0.0.0.0:0|--Auth:AllowAnonymousRead|false", null, "demo-admin-key, demo-operator-key, demo-planner-key, demo-viewer-key")]
    [InlineData("--urls|http://127.0.0.1:0;http://192.0.2.10:0", null, "http://192.0.2.10:0")]
    public async Task Serve_off_loopback_with_the_demo_profile_exits_with_code_2_and_says_why(string args, string? aspnetcoreUrls, string expected)
    {
        using var dir = new TempDirectory();
        string[] options = args.Length == 0 ? [] : args.Split('|');
        Dictionary<string, string> environment = aspnetcoreUrls is null ? [] : new() { ["ASPNETCORE_URLS"] = aspnetcoreUrls };
        (int code, string output) = await RunAsync(["serve", "--store", "memory", .. options], dir.Path, environment);

        Assert.Equal(2, code);
        Assert.Contains("(not loopback)", output);
        Assert.Contains("--Auth:AllowDemoOffLoopback true", output);
        foreach (string part in expected.Split('|'))
        {
            Assert.Contains(part, output);
        }

        Assert.DoesNotContain("   at ", output);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    private static Task<(int Code, string Output)> RunAsync(params string[] args) => RunAsync(args, Path.GetTempPath());

    private static Task<(int Code, string Output)> RunAsync(string[] args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        CliProcess.RunAsync(args, workingDirectory, environment);
}
