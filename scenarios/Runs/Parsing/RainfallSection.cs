using System.Text.Json;
using System.Xml;
using CityTwin.Scenarios.Models;
using static CityTwin.Scenarios.Runs.Parsing.ScenarioFields;

namespace CityTwin.Scenarios.Runs.Parsing;

/// <summary>
/// The <c>rainfall</c> section: a design storm (Chicago or uniform) by total, duration and interval, or explicit blocks,
/// bounded by the scenario's duration and <see cref="ScenarioRunOptions.MaxRainfallBlocks"/>.
/// </summary>
internal static class RainfallSection
{
    // Shortest rainfall block: finer blocks add memory and nothing a 1 s physics step could see.
    private static readonly TimeSpan MinRainfallInterval = TimeSpan.FromSeconds(1);

    /// <summary>Parses the section at <paramref name="path"/> of a scenario lasting <paramref name="scenarioDuration"/>.</summary>
    public static RainfallSpec Parse(JsonElement e, string path, TimeSpan scenarioDuration, ScenarioRunOptions o)
    {
        CheckFields(e, path, ["totalMm", "duration", "pattern", "interval", "peakRatio", "blocks"]);
        RainfallPattern pattern = OptionalEnum(e, path, "pattern", RainfallPattern.Chicago);
        TimeSpan interval = OptionalDuration(e, path, "interval") ?? TimeSpan.FromMinutes(5);
        CheckDuration(interval, $"{path}.interval", MinRainfallInterval, scenarioDuration, "$.duration");

        // The Chicago storm's peak lies strictly inside the storm: at 0 or 1 its intensity curve has no finite shape.
        double peak = OptionalNumber(e, path, "peakRatio", 0.4, 0, 1);
        if (peak is <= 0 or >= 1)
        {
            throw new ScenarioValidationException($"{path}.peakRatio", "must be greater than 0 and less than 1 (where the peak falls within the storm)");
        }

        if (pattern == RainfallPattern.Blocks)
        {
            JsonElement blocks = RequiredArray(e, path, "blocks", "{minutes, mm} for pattern 'blocks'", o.MaxRainfallBlocks, "Scenarios:MaxRainfallBlocks");
            var list = new List<RainfallBlock>();
            int i = 0;
            foreach (JsonElement b in blocks.EnumerateArray())
            {
                string p = $"{path}.blocks[{i++}]";
                RequireObject(b, p);
                CheckFields(b, p, ["minutes", "mm"]);
                list.Add(new RainfallBlock(RequiredNumber(b, p, "minutes", MinRainfallInterval.TotalMinutes, scenarioDuration.TotalMinutes), RequiredNumber(b, p, "mm", 0, 2_000)));
            }

            TimeSpan stormLength = TimeSpan.FromMinutes(list.Sum(b => b.Minutes));
            if (stormLength > scenarioDuration)
            {
                throw new ScenarioValidationException($"{path}.blocks", $"must last at most the scenario's duration ({XmlConvert.ToString(scenarioDuration)}) in all");
            }

            return new RainfallSpec(list.Sum(b => b.Mm), stormLength, pattern, interval, peak, list);
        }

        double total = RequiredNumber(e, path, "totalMm", 0, 2_000);
        TimeSpan duration = RequiredDuration(e, path, "duration");
        CheckDuration(duration, $"{path}.duration", interval, scenarioDuration, "$.duration", "at least one interval");
        double blockCount = Math.Ceiling(duration / interval);
        if (blockCount > o.MaxRainfallBlocks)
        {
            TimeSpan shortest = duration / o.MaxRainfallBlocks;
            throw new ScenarioValidationException($"{path}.interval",
                $"makes {blockCount:0} rainfall blocks; at most {o.MaxRainfallBlocks} are allowed (Scenarios:MaxRainfallBlocks), so the interval must be at least {XmlConvert.ToString(TimeSpan.FromSeconds(Math.Ceiling(shortest.TotalSeconds)))}");
        }

        return new RainfallSpec(total, duration, pattern, interval, peak, []);
    }
}
