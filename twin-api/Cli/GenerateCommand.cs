using System.Diagnostics;
using CityTwin.Scenarios.District;
using CityTwin.TwinApi.Hosting;

namespace CityTwin.TwinApi.Cli;

/// <summary><c>citytwin generate --buildings N --seed S [--size-km K] [--out district.json]</c>: writes a seeded district file.</summary>
public static class GenerateCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage = "citytwin generate [--buildings 2000] [--seed 7] [--size-km 5] [--locale zh_CN|en] --out district.json";

    /// <summary>Runs the verb.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CliArguments("generate", args, ["buildings", "seed", "size-km", "locale", "out"]);
        string output = a.Get("out") ?? throw new CommandLineException($"generate: --out is required.\nusage: {Usage}");
        var options = new DistrictOptions
        {
            Buildings = a.GetInt("buildings", 2000, 1, 2_000_000),
            Seed = a.GetInt("seed", 7, int.MinValue, int.MaxValue),
            SizeKm = a.GetDouble("size-km", 5, 0.5, 100),
            Locale = a.Get("locale") ?? "zh_CN",
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException($"generate: {e.Message}");
        }

        var watch = Stopwatch.StartNew();
        District district = DistrictGenerator.Generate(options);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await DistrictFile.WriteAsync(district, output);
        Console.WriteLine($"{output}: {district.Name}, seed {options.Seed}: {district.Buildings.Length} buildings, {district.Sensors.Length} sensors, " +
            $"{district.Cells.Columns * district.Cells.Rows} cells, {district.Vehicles.Length} vehicles, {district.Responders.Length} responders " +
            $"({watch.Elapsed.TotalSeconds:0.0} s)");
        return 0;
    }
}
