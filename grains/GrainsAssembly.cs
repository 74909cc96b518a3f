namespace CityTwin.Grains;

/// <summary>Anchor type for the grains assembly, so a silo can add every grain class in it.</summary>
public static class GrainsAssembly;
