using System.Text;
using Orleans.Runtime;
using Orleans.Storage;

namespace CityTwin.Silo.Storage;

/// <summary>
/// How CityTwin's grain states are keyed in Orleans' OrleansStorage table: the whole grain id ("sensor/s-17") is the
/// string key (GrainIdExtensionString, GrainIdN0 = GrainIdN1 = 0) and the state name is GrainTypeString, hashed the way
/// Orleans' ADO.NET provider hashes them (its public <see cref="OrleansDefaultHasher"/>).
/// </summary>
internal static class OrleansStorageKeys
{
    /// <summary>The separator Orleans puts between grain type and key in a grain id string.</summary>
    public const char Separator = '/';

    /// <summary>The string key of a grain in OrleansStorage: "type/key", which is also Orleans' grain id string.</summary>
    public static string QualifiedKey(string grainType, string key) => string.Concat(grainType, "/", key);

    /// <summary>GrainIdHash of <paramref name="qualifiedKey"/>, as Orleans computes it for a string key: its UTF-8 bytes reversed.</summary>
    public static int GrainIdHash(string qualifiedKey)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(qualifiedKey);

        // AdoGrainKey.GetHashBytes reverses the bytes on little-endian machines (every machine .NET runs on here).
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return new OrleansDefaultHasher().Hash(bytes);
    }

    /// <summary>GrainTypeHash of a state name, as Orleans computes it (UTF-8 bytes in order).</summary>
    public static int GrainTypeHash(string stateName) => new OrleansDefaultHasher().Hash(Encoding.UTF8.GetBytes(stateName));

    /// <summary>The lower bound of a grain type's keys in byte order ("sensor/").</summary>
    public static string LowerBound(string grainType) => grainType + "/";

    /// <summary>The exclusive upper bound of a grain type's keys in byte order ("sensor0": '0' follows '/').</summary>
    public static string UpperBound(string grainType) => grainType + "0";

    /// <summary>The reminder table's grain hash of a grain: Orleans' uniform hash of its id, as a signed integer.</summary>
    public static int ReminderGrainHash(string grainType, string key) =>
        unchecked((int)GrainId.Create(grainType, key).GetUniformHashCode());

    /// <summary>Throws unless <paramref name="grainType"/> is a grain type name (non-empty, without '/').</summary>
    public static void ValidateGrainType(string grainType)
    {
        ArgumentException.ThrowIfNullOrEmpty(grainType);
        if (grainType.Contains(Separator, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A grain type name has no '{Separator}': '{grainType}'.", nameof(grainType));
        }
    }
}
