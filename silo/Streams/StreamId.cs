namespace CityTwin.Silo.Streams;

/// <summary>Identifies a stream by namespace ("alerts", "entity-changes") and key (an area or entity id).</summary>
public readonly record struct StreamId(string Namespace, string Key)
{
    /// <summary>Creates a stream id (Orleans: StreamId.Create).</summary>
    public static StreamId Create(string streamNamespace, string key) => new(streamNamespace, key);

    /// <inheritdoc />
    public override string ToString() => $"{Namespace}/{Key}";
}
