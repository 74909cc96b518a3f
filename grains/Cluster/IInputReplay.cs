namespace CityTwin.Grains.Cluster;

/// <summary>
/// Replays the inputs logged after the replay mark into the twin, each applied once (the live server registers the
/// scenarios' TwinRecovery). In a cluster the silo that moves the mark runs it when a silo died: the grains that lived
/// there come back from their stored states, and the inputs they had applied since, or never got, are delivered again.
/// </summary>
public interface IInputReplay
{
    /// <summary>Replays the inputs logged after the mark; returns how many were read.</summary>
    Task<long> ReplayAsync(CancellationToken cancellationToken);
}
