namespace CityTwin.Silo.Storage;

/// <summary>
/// The key of one grain state's row in OrleansStorage as CityTwin writes it: the qualified grain id ("sensor/s-17") as
/// GrainIdExtensionString, the state name as GrainTypeString, both hashed as Orleans' provider hashes them
/// (<see cref="OrleansStorageKeys"/>); GrainIdN0 = GrainIdN1 = 0.
/// </summary>
/// <param name="GrainIdExtensionString">The qualified grain id.</param>
/// <param name="GrainTypeString">The state name.</param>
/// <param name="GrainIdHash">Orleans' hash of the qualified grain id.</param>
/// <param name="GrainTypeHash">Orleans' hash of the state name.</param>
internal readonly record struct StateRowKey(string GrainIdExtensionString, string GrainTypeString, int GrainIdHash, int GrainTypeHash)
{
    /// <summary>The row key of state <paramref name="stateName"/> of the grain whose qualified id is <paramref name="qualifiedKey"/>.</summary>
    public static StateRowKey Create(string stateName, string qualifiedKey) =>
        new(qualifiedKey, stateName, OrleansStorageKeys.GrainIdHash(qualifiedKey), OrleansStorageKeys.GrainTypeHash(stateName));
}
