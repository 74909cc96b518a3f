namespace CityTwin.Silo.Runtime;

/// <summary>What happened to a message offered to an activation.</summary>
internal enum EnqueueResult
{
    Accepted,

    /// <summary>The activation is gone; the sender must look the grain up again.</summary>
    Invalid,

    /// <summary>The activation's queue is full.</summary>
    Overloaded,

    /// <summary>The silo is stopping and will not create new activations.</summary>
    Refused,
}
