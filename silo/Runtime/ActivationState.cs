namespace CityTwin.Silo.Runtime;

/// <summary>The lifecycle of an activation: created on first message, valid while serving, invalid once gone.</summary>
internal enum ActivationState
{
    Created,
    Activating,
    Valid,
    Deactivating,
    Invalid,
}
