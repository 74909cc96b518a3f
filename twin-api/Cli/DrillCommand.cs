using System.Text.Json;
using CityTwin.Grains.Json;
using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Runs;
using CityTwin.TwinApi.Hosting;
using Spectre.Console;

namespace CityTwin.TwinApi.Cli;

/// <summary>
/// <c>citytwin drill &lt;file&gt; [--report out.json] [--district district.json | --buildings N --seed S]</c>: runs a scenario
/// file headless on a twin of its own (the demo district unless a district file is given) with a progress bar, prints
/// a summary and writes the same result the API returns. A bad file prints the JSON path of the bad field and exits 2.
/// </summary>
public static class DrillCommand
{
    /// <summary>Usage line.</summary>
    public const string Usage = "citytwin drill <scenario.json> [--report out.json] [--district district.json | --buildings 2000 --seed 7]";

    private static readonly JsonSerializerOptions _json = new(TwinJson.Options) { WriteIndented = true };

    /// <summary>Runs the verb; returns the exit code (0 done, 1 the run failed, 2 bad arguments or file).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CliArguments("drill", args, ["report", "district", "buildings", "seed"]);
        if (a.Positional.Count != 1)
        {
            throw new CommandLineException($"drill: give one scenario file.\nusage: {Usage}");
        }

        string file = a.Positional[0];
        if (!File.Exists(file))
        {
            throw new CommandLineException($"drill: '{file}' does not exist.");
        }

        ScenarioDefinition definition;
        try
        {
            definition = ScenarioParser.Parse(await File.ReadAllTextAsync(file));
        }
        catch (ScenarioValidationException e)
        {
            throw new CommandLineException($"drill: {file}: {e.Message}");
        }

        District district = a.Get("district") is { } districtFile
            ? await DistrictFile.ReadAsync(districtFile)
            : DistrictGenerator.Generate(new DistrictOptions { Buildings = a.GetInt("buildings", 2000, 1, 200_000), Seed = a.GetInt("seed", 7, int.MinValue, int.MaxValue) });

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        ScenarioResult? result = null;
        string? failure = null;
        try
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    ProgressTask task = progress.AddTask($"{definition.Name}: loading {district.Buildings.Length} buildings", maxValue: 1.0);
                    await using TwinSandbox sandbox = await TwinSandbox.CreateAsync(district, null, cancel.Token);
                    await using TwinFork fork = await sandbox.ForkAsync(definition.Start, cancel.Token);
                    task.Description = definition.Name;
                    try
                    {
                        result = await ScenarioRunner.RunAsync(fork, definition, p =>
                        {
                            task.Value = p.Progress;
                            task.Description = $"{definition.Name} {p.SimulatedTime:yyyy-MM-dd HH:mm}";
                        }, cancellationToken: cancel.Token);
                        task.Value = 1.0;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        failure = e.Message;
                    }
                });
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("drill: cancelled.");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (failure is not null || result is null)
        {
            await Console.Error.WriteLineAsync($"drill: {definition.Name} failed: {failure}");
            return 1;
        }

        PrintSummary(result);
        if (a.Get("report") is { } report)
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(report));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }

            await using FileStream stream = File.Create(report);
            await JsonSerializer.SerializeAsync(stream, result, _json);
            Console.WriteLine($"report written to {report}");
        }

        return 0;
    }

    private static void PrintSummary(ScenarioResult result)
    {
        var figures = new Table().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        foreach ((string name, double value) in result.Figures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            figures.AddRow(Markup.Escape(name), value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(figures);
        if (result.Drill is { } drill)
        {
            var table = new Table().AddColumn("incident").AddColumn("alert s").AddColumn("dispatch s").AddColumn("travel s").AddColumn("response s").AddColumn("met");
            foreach (var r in drill.Results)
            {
                table.AddRow(Markup.Escape(r.Id), $"{r.DetectionToAlertSeconds:0}", $"{r.AlertToDispatchSeconds:0}", $"{r.FirstUnitTravelSeconds:0}", $"{r.ResponseSeconds:0}", r.MetTravelTarget ? "yes" : Markup.Escape($"no: {r.MissedBecause}"));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{drill.MetTarget} of {drill.Incidents} incidents met their target (first unit within {drill.TargetTravelSeconds:0} s, every unit asked for sent; {drill.ShareMeetingTarget:P0}; target {drill.TargetShare:P0}): [{(drill.TargetMet ? "green]met" : "red]missed")}[/]");
        }

        if (result.Evacuation.Count > 0)
        {
            Console.WriteLine($"evacuation list: {result.Evacuation.Count} buildings, {result.Evacuation.Sum(e => e.Elderly)} elderly residents");
        }
    }
}
