using System.Text.Json;
using CityTwin.Grains.Json;
using CityTwin.Grains.Model;
using Orleans;

namespace CityTwin.Grains.Twin;

/// <summary>
/// An entity as its grain sees it: the summary and the full state as JSON (<see cref="TwinJson"/>: camelCase, enums by name), taken inside the
/// grain's turn so a caller never sees a state the grain is still changing, and cheap to pass across silos.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record EntityDetails(EntitySummary Summary, string StateJson)
{
    /// <summary>Details with <paramref name="state"/> serialised with <see cref="TwinJson"/> (its runtime type's members).</summary>
    public static EntityDetails Of(EntitySummary summary, object state)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(state);
        return new EntityDetails(summary, JsonSerializer.Serialize(state, state.GetType(), TwinJson.Options));
    }

    /// <summary>The state as a JSON element (a detached copy), e.g. to write it into a response as it is.</summary>
    public JsonElement ReadState()
    {
        using JsonDocument document = JsonDocument.Parse(StateJson);
        return document.RootElement.Clone();
    }

    /// <summary>The state read as <typeparamref name="T"/> (e.g. the grain's state class), with <see cref="TwinJson"/>.</summary>
    public T ReadState<T>() =>
        JsonSerializer.Deserialize<T>(StateJson, TwinJson.Options)
        ?? throw new InvalidOperationException($"The state of {Summary.Type} '{Summary.Id}' is null.");
}
