using System.Collections.Frozen;
using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Runs;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using CityTwin.TwinApi.Auth;
using CityTwin.TwinApi.Hubs;
using CityTwin.TwinApi.Simulation;
using Microsoft.Extensions.Options;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// The settings <c>citytwin serve</c> reads: which command-line options it knows, and every options class bound from its
/// section with its ranges, so that a misspelt option, a value that does not parse or one out of range stops the server
/// at start with a message (exit code 2) instead of being ignored or failing later.
/// </summary>
public static class ServerSettings
{
    /// <summary>Short options and the settings they stand for.</summary>
    public static readonly FrozenDictionary<string, string> Switches = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--store"] = "Store:Kind",
        ["--connection"] = "Store:ConnectionString",
        ["--district"] = "District:File",
        ["--cluster"] = $"{SiloClusterOptions.Section}:Id",
        ["--silo-port"] = "Silo:SiloPort",
        ["--gateway-port"] = "Silo:GatewayPort",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // Settings given as --Section:Key value must be in a section the server reads; ASP.NET Core's own are included.
    private static readonly FrozenSet<string> Sections = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "Store", "District", "Api", "Auth", "Silo", SiloClusterOptions.Section, "Hub", "Scenarios", "Metrics", SimulationOptions.Section, "Logging", "Kestrel");

    private static readonly FrozenDictionary<Type, string> SectionOf = new Dictionary<Type, string>
    {
        [typeof(SiloOptions)] = "Silo",
        [typeof(SiloClusterOptions)] = SiloClusterOptions.Section,
        [typeof(ApiOptions)] = ApiOptions.Section,
        [typeof(ScenarioRunOptions)] = ScenarioRunOptions.Section,
        [typeof(DistrictSourceOptions)] = DistrictSourceOptions.Section,
        [typeof(AuthOptions)] = AuthOptions.Section,
        [typeof(TwinHubOptions)] = TwinHubOptions.Section,
        [typeof(SimulationOptions)] = SimulationOptions.Section,
    }.ToFrozenDictionary();

    private static readonly FrozenSet<string> HostOptions = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "--urls", "--environment");

    /// <summary>The flag that turns the simulated traffic on (<c>--simulate</c>, no value).</summary>
    public const string SimulateFlag = "--simulate";

    /// <summary>The arguments of <c>serve</c> with the flags that take no value written as settings (<c>--simulate</c> as <c>--Simulation:Enabled true</c>).</summary>
    public static string[] ExpandFlags(IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var expanded = new List<string>();
        foreach (string a in args)
        {
            if (string.Equals(a, SimulateFlag, StringComparison.OrdinalIgnoreCase))
            {
                expanded.Add($"--{SimulationOptions.Section}:Enabled");
                expanded.Add("true");
            }
            else
            {
                expanded.Add(a);
            }
        }

        return [.. expanded];
    }

    /// <summary>Throws <see cref="CommandLineException"/> for an argument of <c>serve</c> that is not a known option with a value.</summary>
    public static void CheckArguments(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string name = equals > 0 ? arg[..equals] : arg;
            bool known = name.StartsWith("--", StringComparison.Ordinal) && (Switches.ContainsKey(name) || HostOptions.Contains(name)
                || (name.IndexOf(':', StringComparison.Ordinal) is > 2 and var colon && colon < name.Length - 1 && Sections.Contains(name[2..colon])));
            if (!known)
            {
                throw new CommandLineException($"serve: unknown option '{name}'. Options: {string.Join(", ", Switches.Keys.Concat(HostOptions).Append(SimulateFlag).Order(StringComparer.Ordinal))}, "
                    + $"or a setting --<Section>:<Key> <value> of a section {string.Join(", ", Sections.Order(StringComparer.Ordinal))}.");
            }

            if (equals < 0 && (++i >= args.Count || args[i].StartsWith("--", StringComparison.Ordinal)))
            {
                throw new CommandLineException($"serve: option '{arg}' needs a value.");
            }
        }
    }

    /// <summary>
    /// Binds every options class of the server to its section (a key the class does not have is an error) and checks it
    /// when the host starts (ValidateOnStart).
    /// </summary>
    public static IServiceCollection AddServerSettings(this IServiceCollection services)
    {
        Bind<SiloOptions>(services).ValidateDataAnnotations();
        Bind<SiloClusterOptions>(services).ValidateDataAnnotations();
        Bind<ApiOptions>(services).ValidateDataAnnotations();
        Bind<ScenarioRunOptions>(services).Validate(o =>
        {
            o.Validate();
            return true;
        });
        Bind<DistrictSourceOptions>(services).ValidateDataAnnotations();
        Bind<AuthOptions>(services);
        Bind<TwinHubOptions>(services).Validate(o =>
        {
            o.Validate();
            return true;
        });
        Bind<SimulationOptions>(services).ValidateDataAnnotations();
        return services;
    }

    /// <summary>
    /// Checks the settings in <paramref name="configuration"/> before anything is opened; gives the silo's options or
    /// throws <see cref="CommandLineException"/> naming what is wrong.
    /// </summary>
    public static SiloOptions Check(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddServerSettings();
        using ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return provider.GetRequiredService<IOptions<SiloOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new CommandLineException($"invalid setting in section {SectionOf[e.OptionsType]}: {string.Join(" ", e.Failures)}");
        }
        catch (InvalidOperationException e)
        {
            // A value that does not convert ("maybe" for a bool) or a key the section does not have.
            throw new CommandLineException($"invalid setting: {e.Message}");
        }
    }

    /// <summary>
    /// Checks the cluster settings against the store and the silo's ports before anything is opened: a cluster needs the
    /// postgres store, fixed silo-to-silo and gateway ports that differ, and an address that resolves; gives the options.
    /// </summary>
    public static SiloClusterOptions CheckCluster(IConfiguration configuration, StoreKind store, SiloOptions silo)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(silo);
        var cluster = new SiloClusterOptions();
        configuration.GetSection(SiloClusterOptions.Section).Bind(cluster, o => o.ErrorOnUnknownConfiguration = true);
        if (!cluster.IsClustered)
        {
            return cluster;
        }

        if (store != StoreKind.Postgres)
        {
            throw new CommandLineException($"--cluster needs --store postgres: every silo of a cluster shares its membership, state and event log in one PostgreSQL database (the store is {store.ToString().ToLowerInvariant()}).");
        }

        if (silo.SiloPort > 0 && silo.SiloPort == silo.GatewayPort)
        {
            throw new CommandLineException($"--silo-port and --gateway-port are both {silo.SiloPort}: a silo needs two different ports.");
        }

        try
        {
            cluster.ResolveAddress();
        }
        catch (InvalidOperationException e)
        {
            throw new CommandLineException(e.Message);
        }

        return cluster;
    }

    /// <summary>
    /// Reads the district file named by District:File (--district), if any, so that a file that is missing or not a
    /// district stops the server at start with its message (exit code 2) rather than failing the silo's startup.
    /// </summary>
    public static void CheckDistrictFile(IConfiguration configuration)
    {
        if (configuration[$"{DistrictSourceOptions.Section}:File"] is { Length: > 0 } file)
        {
            try
            {
                DistrictFile.Read(file);
            }
            catch (DistrictFileException e)
            {
                throw new CommandLineException(e.Message);
            }
        }
    }

    private static OptionsBuilder<T> Bind<T>(IServiceCollection services)
        where T : class
    {
        OptionsBuilder<T> builder = services.AddOptions<T>().BindConfiguration(SectionOf[typeof(T)], o => o.ErrorOnUnknownConfiguration = true);
        builder.ValidateOnStart();
        return builder;
    }
}
