using System.Text;
using System.Text.Json;
using CityTwin.Silo.Storage;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>Orleans' providers store exactly the state JSON the silo stored before it ran on Orleans.</summary>
public sealed class TwinStateSerializerTests
{
    [Fact]
    public void Payloads_are_the_state_json_of_before_and_old_payloads_read_back()
    {
        TwinStateSerializer serializer = new();
        CounterState state = new() { Count = 3, Notes = ["a", "b"] };

        byte[] written = serializer.Serialize(state).ToArray();

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(state, StateJson.CreateOptions()), written);
        Assert.Equal("""{"count":3,"notes":["a","b"]}""", Encoding.UTF8.GetString(written));
        CounterState old = serializer.Deserialize<CounterState>(new BinaryData("""{"count":7}"""u8.ToArray()));
        Assert.Equal(7, old.Count);
        Assert.Empty(old.Notes);
    }
}
