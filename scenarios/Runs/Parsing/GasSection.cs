using System.Text.Json;
using CityTwin.Scenarios.Models;
using static CityTwin.Scenarios.Runs.Parsing.ScenarioFields;

namespace CityTwin.Scenarios.Runs.Parsing;

/// <summary>The <c>gas</c> section: the leak's source, substance, release, wind, stability and dispersion scheme.</summary>
internal static class GasSection
{
    /// <summary>Parses the section at <paramref name="path"/>.</summary>
    public static GasSpec Parse(JsonElement e, string path)
    {
        CheckFields(e, path, ["source", "substance", "release", "rateGps", "massG", "sourceHeightM", "wind", "stability", "insolation", "nightCloudOktas", "dispersion"]);
        string source = RequiredString(e, path, "source");
        CheckSelector(source, $"{path}.source");
        GasSubstance substance = OptionalEnum(e, path, "substance", GasSubstance.Methane);
        GasRelease release = OptionalEnum(e, path, "release", GasRelease.Continuous);
        double rate = release == GasRelease.Continuous ? RequiredNumber(e, path, "rateGps", 0, 1e7) : OptionalNumber(e, path, "rateGps", 0, 0, 1e7);
        double mass = release == GasRelease.Instantaneous ? RequiredNumber(e, path, "massG", 0, 1e10) : OptionalNumber(e, path, "massG", 0, 0, 1e10);
        double height = OptionalNumber(e, path, "sourceHeightM", 1.5, 0, 500);
        double? windSpeed = null;
        double windFrom = 45;
        if (e.TryGetProperty("wind", out JsonElement w) && w.ValueKind != JsonValueKind.Null)
        {
            string wp = $"{path}.wind";
            RequireObject(w, wp);
            CheckFields(w, wp, ["speedMps", "fromDegrees"]);
            if (w.TryGetProperty("speedMps", out JsonElement ws) && ws.ValueKind != JsonValueKind.Null)
            {
                windSpeed = RequiredNumber(w, wp, "speedMps", 0.1, 60);
            }

            windFrom = OptionalNumber(w, wp, "fromDegrees", 45, 0, 360);
        }

        StabilityClass? stability = null;
        if (e.TryGetProperty("stability", out JsonElement st) && st.ValueKind != JsonValueKind.Null)
        {
            if (st.ValueKind != JsonValueKind.String || !PasquillGiffordStability.TryParse(st.GetString(), out StabilityClass parsed))
            {
                throw new ScenarioValidationException($"{path}.stability", "must be one of A, B, C, D, E, F");
            }

            stability = parsed;
        }

        Insolation insolation = OptionalEnum(e, path, "insolation", Insolation.Moderate);
        int? oktas = null;
        if (e.TryGetProperty("nightCloudOktas", out JsonElement ok) && ok.ValueKind != JsonValueKind.Null)
        {
            double o = RequiredNumber(e, path, "nightCloudOktas", 0, 8);
            if (o != Math.Floor(o))
            {
                throw new ScenarioValidationException($"{path}.nightCloudOktas", "must be a whole number of oktas from 0 to 8");
            }

            oktas = (int)o;
        }

        DispersionScheme dispersion = OptionalEnum(e, path, "dispersion", DispersionScheme.BriggsUrban);
        return new GasSpec(source, substance, release, rate, mass, height, windSpeed, windFrom, stability, insolation, oktas, dispersion);
    }
}
