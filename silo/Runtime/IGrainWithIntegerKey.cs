namespace CityTwin.Silo;

/// <summary>A grain interface whose identity is a 64-bit integer key.</summary>
public interface IGrainWithIntegerKey : IGrain;
