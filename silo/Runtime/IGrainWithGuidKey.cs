namespace CityTwin.Silo;

/// <summary>A grain interface whose identity is a Guid key.</summary>
public interface IGrainWithGuidKey : IGrain;
