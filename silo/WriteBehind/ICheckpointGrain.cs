using Orleans;

namespace CityTwin.Silo.WriteBehind;

/// <summary>A grain whose state is written behind: asked by a checkpoint to write its state now if it changed.</summary>
public interface ICheckpointGrain : IGrainWithStringKey
{
    /// <summary>Writes the state if it differs from what was last stored; true when it wrote.</summary>
    Task<bool> CheckpointAsync();
}
