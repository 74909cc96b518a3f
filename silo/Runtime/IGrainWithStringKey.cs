namespace CityTwin.Silo;

/// <summary>A grain interface whose identity is a string key.</summary>
public interface IGrainWithStringKey : IGrain;
