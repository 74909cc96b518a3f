using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CityTwin.Silo.Storage;

/// <summary>
/// The JSON form of persistent grain state: web defaults (camelCase), minus what reading it back would not use. A
/// computed property (no setter, no constructor parameter) is never read back, and a null, false or zero (integers,
/// enums) is left out where reading would produce it anyway (a constructor parameter without another default, or a
/// settable property that holds it on a new instance). The same object therefore reads back to the same state in fewer
/// bytes: a million stored states are held by the memory store and written to the databases, so their size counts (a
/// new sensor: about 600 B -> 300-350 B). Only storage uses these options; API responses still show every field.
/// </summary>
public static class StateJson
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

            // The value a missing property reads as: null for references and Nullable<T>; the default of flags,
            // counters and enums (compared exactly; other value types are always written).
            object? empty;
            if (!property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null)
            {
                empty = null;
            }
            else if (property.PropertyType == typeof(bool) || property.PropertyType == typeof(int) || property.PropertyType == typeof(long)
                || property.PropertyType.IsEnum)
            {
                empty = Activator.CreateInstance(property.PropertyType);
            }
            else
            {
                continue;
            }

            bool missingReadsAsEmpty;
            if (property.AssociatedParameter is { } parameter)
            {
                missingReadsAsEmpty = !parameter.HasDefaultValue || Equals(parameter.DefaultValue ?? empty, empty);
            }
            else
            {
                // Only a parameterless constructor shows what a property is when the JSON leaves it out.
                if (!freshCreated)
                {
                    freshCreated = true;
                    fresh = type.CreateObject is { } create && !HasParameterizedConstructor(type) ? create() : null;
                }

                missingReadsAsEmpty = fresh is not null && Equals(property.Get(fresh), empty);
            }

            if (missingReadsAsEmpty)
            {
                property.ShouldSerialize = empty is null ? static (_, value) => value is not null : (_, value) => !empty.Equals(value);
            }
        }
    }

    // A type bound through a constructor with parameters creates its objects from the JSON's values, not from CreateObject.
    private static bool HasParameterizedConstructor(JsonTypeInfo type) =>
        type.Properties.Any(static p => p.AssociatedParameter is not null);
}
