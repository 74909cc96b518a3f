namespace CityTwin.TwinApi.Load;

/// <summary>Where a run was measured.</summary>
public sealed record MachineFigures(string Host, string OperatingSystem, string Runtime, int ProcessorCount, long TotalMemoryBytes, bool ServerGc);
