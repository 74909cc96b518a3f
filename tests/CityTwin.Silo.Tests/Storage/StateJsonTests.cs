using System.Text.Json;
using CityTwin.Silo.Storage;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>The JSON form of stored state: what is left out, and that a state reads back the same.</summary>
public sealed class StateJsonTests
{
    private static readonly JsonSerializerOptions Options = StateJson.CreateOptions();

    [Fact]
    public void Nulls_and_computed_properties_are_left_out_and_the_state_reads_back_the_same()
    {
        var state = new SampleState { Count = 3, Definition = new SampleDefinition("d-1", null, "m") };

        string json = JsonSerializer.Serialize(state, Options);
        SampleState back = JsonSerializer.Deserialize<SampleState>(json, Options)!;

        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        Assert.False(root.TryGetProperty("note", out _));
        Assert.False(root.TryGetProperty("seenAt", out _));
        Assert.False(root.TryGetProperty("isBusy", out _));
        Assert.False(root.TryGetProperty("done", out _));
        Assert.False(root.GetProperty("definition").TryGetProperty("building", out _));
        Assert.False(root.GetProperty("definition").TryGetProperty("floor", out _));
        Assert.Equal(3, root.GetProperty("count").GetInt32());
        Assert.Equal(0, root.GetProperty("items").GetArrayLength());
        Assert.Equivalent(state, back, strict: true);
    }

    [Fact]
    public void A_null_that_would_read_back_as_something_else_is_written()
    {
        // A property whose new instance holds a value, and a parameter with a non-null default, must keep their null.
        var state = new SampleState
        {
            Mode = null, Enabled = false, Retries = 0, Definition = new SampleDefinition("d-2", "b-1", null, 0, 0),
            SeenAt = DateTimeOffset.UnixEpoch, Note = "n", Done = true,
        };

        string json = JsonSerializer.Serialize(state, Options);
        SampleState back = JsonSerializer.Deserialize<SampleState>(json, Options)!;

        Assert.Contains("\"mode\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"unit\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"enabled\":false", json, StringComparison.Ordinal);
        Assert.Contains("\"retries\":0", json, StringComparison.Ordinal);
        Assert.Contains("\"level\":0", json, StringComparison.Ordinal);
        Assert.False(back.Enabled);
        Assert.Equal(0, back.Retries);
        Assert.Equal(0, back.Definition!.Level);
        Assert.True(back.Done);
        Assert.Null(back.Mode);
        Assert.Null(back.Definition!.Unit);
        Assert.Equal("b-1", back.Definition.Building);
        Assert.Equal(DateTimeOffset.UnixEpoch, back.SeenAt);
        Assert.Equal("n", back.Note);
    }

    public sealed record SampleDefinition(string Id, string? Building, string? Unit = "m", int Floor = 0, int Level = 2);

    public sealed class SampleState
    {
        public SampleDefinition? Definition { get; set; }

        public int Count { get; set; }

        public string? Note { get; set; }

        public string? Mode { get; set; } = "auto";

        public DateTimeOffset? SeenAt { get; set; }

        public List<string> Items { get; set; } = [];

        public bool Done { get; set; }

        public bool Enabled { get; set; } = true;

        public long Retries { get; set; } = 3;

        public bool IsBusy => Count > 10;
    }
}
