using System.Globalization;
using CityTwin.TwinApi.Hosting;

namespace CityTwin.TwinApi.Cli;

/// <summary>
/// "--name value" options of an offline verb, checked against the verb's known options, with typed getters whose errors
/// name the option (the CLI prints them and exits non-zero).
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/>; options not in <paramref name="known"/> (and flags not in <paramref name="flags"/>) are errors.</summary>
    public CliArguments(string verb, string[] args, string[] known, string[]? flags = null)
    {
        flags ??= [];
        var positional = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(a);
                continue;
            }

            string name = a[2..];
            if (flags.Contains(name))
            {
                _options[name] = "true";
                continue;
            }

            if (!known.Contains(name))
            {
                throw new CommandLineException($"{verb}: unknown option '{a}'. Options: {string.Join(", ", known.Concat(flags).Select(k => "--" + k))}.");
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new CommandLineException($"{verb}: option '{a}' needs a value.");
            }

            _options[name] = args[++i];
        }

        Positional = positional;
    }

    /// <summary>Arguments that are not options.</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <summary>A string option or null.</summary>
    public string? Get(string name) => _options.GetValueOrDefault(name);

    /// <summary>True when a flag was given.</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>An integer option within [min, max], or the default.</summary>
    public int GetInt(string name, int defaultValue, int min, int max)
    {
        if (!_options.TryGetValue(name, out string? text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new CommandLineException($"--{name} must be a whole number from {min} to {max}; got '{text}'.");
        }

        return value;
    }

    /// <summary>A number option within [min, max], or the default.</summary>
    public double GetDouble(string name, double defaultValue, double min, double max)
    {
        if (!_options.TryGetValue(name, out string? text))
        {
            return defaultValue;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < min || value > max)
        {
            throw new CommandLineException($"--{name} must be a number from {min} to {max}; got '{text}'.");
        }

        return value;
    }
}
