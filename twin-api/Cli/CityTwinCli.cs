using CityTwin.TwinApi.Hosting;

namespace CityTwin.TwinApi.Cli;

/// <summary>The citytwin command line: <c>serve</c> (default) and the offline verbs.</summary>
public static class CityTwinCli
{
    private const string Usage = """
        usage: citytwin [serve] [--store memory|sqlite|postgres] [--connection <string>] [--urls <url>] [--district <file>] [--simulate] [--<Section>:<Key> <value>]
                        [--cluster <id> --silo-port <port> [--gateway-port <port>] [--Cluster:Address <ip or host>]]
               citytwin generate [--buildings 2000] [--seed 7] [--size-km 5] [--locale zh_CN|en] --out district.json
               citytwin drill <scenario.json> [--report out.json] [--district district.json | --buildings 2000 --seed 7]
               citytwin load --buildings N --sensors-per-building K --rate R --duration D [--store ...] [--report out.json] [--target http://...]
               citytwin help

        serve     run the server (default: http://127.0.0.1:5080, SQLite data/citytwin.db in the working directory, demo district on first start;
                  --district loads a generated file instead on the first start; --simulate feeds the twin simulated traffic (Simulation:*);
                  any setting as --Section:Key value, e.g. --Api:MaxBatchSize 5000;
                  an unknown option or setting, or a value out of range, exits with code 2;
                  --cluster forms or joins a cluster of silos on the postgres store, each answering every request)
        generate  write a seeded demo district to a JSON file
        drill     run a scenario or drill headless on a generated twin and write its report
        load      generate and activate a district, drive telemetry at a rate, report throughput, latency, memory
        """;

    /// <summary>Runs a verb; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        string[] rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        try
        {
            switch (verb)
            {
                case "serve":
                    rest = ServerSettings.ExpandFlags(rest);
                    ServerSettings.CheckArguments(rest);
                    WebApplication app;
                    try
                    {
                        app = await TwinServer.BuildAsync(rest);
                    }
                    catch (InvalidOperationException e)
                    {
                        // The store could not be opened (unreachable server, unreadable file, a table that is not ours):
                        // its message says which; a stack trace would only hide it.
                        await Console.Error.WriteLineAsync($"citytwin: {e.Message}");
                        return 1;
                    }

                    try
                    {
                        await app.StartAsync();
                    }
                    catch (Exception e) when (e is IOException or Orleans.Runtime.OrleansException or OperationCanceledException or InvalidOperationException)
                    {
                        // An HTTP port in use (Kestrel's IOException names the address), a cluster that cannot be joined:
                        // the host logged the details; the message says which.
                        await Console.Error.WriteLineAsync($"citytwin: could not start: {e.GetBaseException().Message}");
                        await app.DisposeAsync();
                        return 1;
                    }

                    await app.WaitForShutdownAsync();
                    await app.DisposeAsync();
                    return 0;
                case "generate":
                    return await GenerateCommand.RunAsync(rest);
                case "drill":
                    return await DrillCommand.RunAsync(rest);
                case "load":
                    return await LoadCommand.RunAsync(rest);
                case "help" or "--help" or "-h":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"citytwin: unknown command '{verb}'.\n{Usage}");
                    return 2;
            }
        }
        catch (CommandLineException e)
        {
            await Console.Error.WriteLineAsync($"citytwin: {e.Message}");
            return 2;
        }
    }
}
