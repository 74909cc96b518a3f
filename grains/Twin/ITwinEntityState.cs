using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>
/// The persistent state of a twin entity grain. Every twin grain keeps it as <c>[PersistentState("entity")]</c>, so a
/// restarting server can rebuild the read model from storage without activating 300,000 grains.
/// </summary>
public interface ITwinEntityState
{
    /// <summary>True once the entity was initialised from its definition.</summary>
    bool IsInitialized { get; }

    /// <summary>The entity's queryable summary as of this state.</summary>
    EntitySummary ToSummary();
}
