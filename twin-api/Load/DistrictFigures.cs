namespace CityTwin.TwinApi.Load;

/// <summary>What generating and loading the district took: entity counts, time, grains active after it, and memory after it.</summary>
public sealed record DistrictFigures(
    int Buildings,
    int Sensors,
    double SensorsPerBuilding,
    int Entities,
    double GenerateSeconds,
    double LoadSeconds,
    long Activations,
    double ActivationsPerSecond,
    long RssAfterLoadBytes,
    long PeakRssDuringLoadBytes,
    long ManagedHeapAfterLoadBytes,
    long StorageWritesDuringLoad);
