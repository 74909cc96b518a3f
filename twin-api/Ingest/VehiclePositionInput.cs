using CityTwin.Grains.Twin;

namespace CityTwin.TwinApi.Ingest;

/// <summary>One validated position report from a batch, with its index in the batch (to report delivery failures by index).</summary>
public sealed record VehiclePositionInput(int Index, string VehicleId, VehiclePosition Position);
