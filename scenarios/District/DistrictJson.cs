using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using CityTwin.Grains.Json;

namespace CityTwin.Scenarios.District;

/// <summary>The JSON conventions of district files: camelCase names and enums, strict nullability, readable CJK text.</summary>
public static class DistrictJson
{
    /// <summary>Serializer options for <see cref="District"/>; read-only, safe to share.</summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // Names in zh_CN would otherwise be written as \uXXXX escapes.
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            WriteIndented = false,
        };
        TwinJson.Configure(options, allowIntegerEnums: false);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
