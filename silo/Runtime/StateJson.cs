using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CityTwin.Silo.Runtime;

/// <summary>
/// The JSON form of persistent grain state: web defaults (camelCase), minus what reading it back would not use. A
/// computed property (no setter, no constructor parameter) is never read back, and a null is left out where reading
/// would produce null anyway (a constructor parameter without a non-null default, or a settable property that is null
/// on a new instance). The same object therefore reads back to the same state in fewer bytes: a million stored states
/// are held by the memory store and written to the databases, so their size counts (a new sensor: about 600 B -> 350 B).
/// </summary>
internal static class StateJson
{
    /// <summary>New serializer options for one silo's states.</summary>
    public static JsonSerializerOptions CreateOptions() => new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitWhatReadingWouldNotUse } },
    };

    private static void OmitWhatReadingWouldNotUse(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        object? fresh = null;
        bool freshCreated = false;
        foreach (JsonPropertyInfo property in type.Properties)
        {
            if (property.Get is null || property.ShouldSerialize is not null || property.IsExtensionData || property.IsRequired)
            {
                continue;
            }

            bool readBack = property.Set is not null || property.AssociatedParameter is not null
                || property.ObjectCreationHandling == JsonObjectCreationHandling.Populate
                || type.PreferredPropertyObjectCreationHandling == JsonObjectCreationHandling.Populate;
            if (!readBack)
            {
                property.ShouldSerialize = static (_, _) => false;
                continue;
            }

            if (!CanBeNull(property.PropertyType))
            {
                continue;
            }

            bool missingReadsAsNull;
            if (property.AssociatedParameter is { } parameter)
            {
                missingReadsAsNull = !parameter.HasDefaultValue || parameter.DefaultValue is null;
            }
            else
            {
                // Only a parameterless constructor shows what a property is when the JSON leaves it out.
                if (!freshCreated)
                {
                    freshCreated = true;
                    fresh = type.CreateObject is { } create && !HasParameterizedConstructor(type) ? create() : null;
                }

                missingReadsAsNull = fresh is not null && property.Get(fresh) is null;
            }

            if (missingReadsAsNull)
            {
                property.ShouldSerialize = static (_, value) => value is not null;
            }
        }
    }

    private static bool CanBeNull(Type type) => !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;

    // A type bound through a constructor with parameters creates its objects from the JSON's values, not from CreateObject.
    private static bool HasParameterizedConstructor(JsonTypeInfo type) =>
        type.Properties.Any(static p => p.AssociatedParameter is not null);
}
