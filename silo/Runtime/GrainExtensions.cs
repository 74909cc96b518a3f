namespace CityTwin.Silo;

/// <summary>Identity helpers on grain references (Orleans: GrainExtensions).</summary>
public static class GrainExtensions
{
    /// <summary>The identity of the grain a reference names.</summary>
    public static GrainId GetGrainId(this IGrain grain) => grain switch
    {
        GrainReference r => r.GrainId,
        Grain g => g.GrainId,
        _ => throw new ArgumentException("Not a grain reference.", nameof(grain)),
    };

    /// <summary>The string key of the grain.</summary>
    public static string GetPrimaryKeyString(this IGrainWithStringKey grain) => grain.GetGrainId().Key;
}
