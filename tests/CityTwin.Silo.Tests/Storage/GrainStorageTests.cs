using System.Text;
using CityTwin.Silo.Storage;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>The grain-state contract every store kind must keep: versions, stale-write rejection, batching, durability.</summary>
public sealed class GrainStorageTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    // A grain type per test keeps tests independent inside the class's shared PostgreSQL database.
    private readonly string _grainType = "Sensor-" + Guid.NewGuid().ToString("N");

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task A_written_state_reads_back_with_version_1(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        GrainStateKey key = Key("s1");

        long version = await store.Storage.WriteAsync(key, Bytes("reading=1"), expectedVersion: 0);

        Assert.Equal(1, version);
        StoredGrainState? state = await store.Storage.ReadAsync(key);
        Assert.NotNull(state);
        Assert.Equal("reading=1", Text(state.Payload));
        Assert.Equal(1, state.Version);
        Assert.InRange(state.ModifiedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Null(await store.Storage.ReadAsync(Key("never-written")));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task Each_write_increments_the_version_and_replaces_the_payload(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        GrainStateKey key = Key("s1");

        long v1 = await store.Storage.WriteAsync(key, Bytes("a"), 0);
        long v2 = await store.Storage.WriteAsync(key, Bytes("b"), v1);
        long v3 = await store.Storage.WriteAsync(key, Bytes("c"), v2);

        Assert.Equal([1L, 2L, 3L], [v1, v2, v3]);
        StoredGrainState state = (await store.Storage.ReadAsync(key))!;
        Assert.Equal(("c", 3L), (Text(state.Payload), state.Version));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task A_stale_write_is_rejected_and_changes_nothing(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        GrainStateKey key = Key("s1");
        await store.Storage.WriteAsync(key, Bytes("first"), 0);
        await store.Storage.WriteAsync(key, Bytes("second"), 1);

        InconsistentStateException stale = await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.WriteAsync(key, Bytes("stale"), 1));
        InconsistentStateException duplicateCreate = await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.WriteAsync(key, Bytes("again"), 0));

        Assert.Equal((key, 1L, (long?)2L), (stale.Key, stale.ExpectedVersion, stale.StoredVersion));
        Assert.Equal(2L, duplicateCreate.StoredVersion);
        StoredGrainState state = (await store.Storage.ReadAsync(key))!;
        Assert.Equal(("second", 2L), (Text(state.Payload), state.Version));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task A_write_expecting_a_version_of_a_missing_state_is_rejected(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        GrainStateKey key = Key("missing");

        InconsistentStateException error = await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.WriteAsync(key, Bytes("x"), 3));

        Assert.Equal(0L, error.StoredVersion);
        Assert.Null(await store.Storage.ReadAsync(key));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task One_stale_write_among_concurrent_writes_fails_alone(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        const int count = 300;
        const int staleIndex = 137;
        GrainStateKey[] keys = Enumerable.Range(0, count).Select(i => Key($"s{i}")).ToArray();
        await Task.WhenAll(keys.Select(key => store.Storage.WriteAsync(key, Bytes("v1"), 0)));

        // Issued together, so the database providers commit them in one or a few batches.
        Task<long>[] writes = keys.Select((key, i) => store.Storage.WriteAsync(key, Bytes($"v2-{i}"), i == staleIndex ? 7 : 1)).ToArray();
        await Assert.ThrowsAnyAsync<Exception>(() => Task.WhenAll(writes));

        Assert.IsType<InconsistentStateException>(writes[staleIndex].Exception!.InnerException);
        for (int i = 0; i < count; i++)
        {
            StoredGrainState state = (await store.Storage.ReadAsync(keys[i]))!;
            if (i == staleIndex)
            {
                Assert.Equal(("v1", 1L), (Text(state.Payload), state.Version));
            }
            else
            {
                Assert.Equal(2, await writes[i]);
                Assert.Equal(($"v2-{i}", 2L), (Text(state.Payload), state.Version));
            }
        }
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task A_thousand_concurrent_writers_all_commit_in_few_round_trips(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        const int count = 1000;
        long batchesBefore = store.Storage.Statistics.Batches;

        long[] versions = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => store.Storage.WriteAsync(Key($"g{i}"), Bytes($"p{i}"), 0))));

        Assert.All(versions, version => Assert.Equal(1, version));
        Dictionary<string, string> stored = new();
        await foreach (KeyValuePair<GrainStateKey, StoredGrainState> pair in store.Storage.ReadAllAsync(_grainType))
        {
            stored[pair.Key.GrainId] = Text(pair.Value.Payload);
        }

        Assert.Equal(count, stored.Count);
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal($"p{i}", stored[$"g{i}"]));
        long batches = store.Storage.Statistics.Batches - batchesBefore;
        if (kind == StoreKind.Memory)
        {
            Assert.Equal(count, batches);
        }
        else
        {
            // Batching is the point of the database providers: one round trip per write would be 1,000.
            Assert.InRange(batches, 1, count / 4);
        }
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task Writes_of_one_key_issued_together_apply_in_issue_order(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        GrainStateKey key = Key("s1");

        // Not awaited one by one, so the database providers see all four in the same batch.
        Task<long> first = store.Storage.WriteAsync(key, Bytes("a"), 0);
        Task<long> second = store.Storage.WriteAsync(key, Bytes("b"), 1);
        Task<long> third = store.Storage.WriteAsync(key, Bytes("c"), 2);
        Task<long> stale = store.Storage.WriteAsync(key, Bytes("d"), 1);

        Assert.Equal(new[] { 1L, 2L, 3L }, new[] { await first, await second, await third });
        InconsistentStateException error = await Assert.ThrowsAsync<InconsistentStateException>(() => stale);
        Assert.Equal(3L, error.StoredVersion);
        StoredGrainState state = (await store.Storage.ReadAsync(key))!;
        Assert.Equal(("c", 3L), (Text(state.Payload), state.Version));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task Clear_with_the_current_version_deletes_the_state(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        GrainStateKey key = Key("s1");
        await store.Storage.WriteAsync(key, Bytes("a"), 0);
        await store.Storage.WriteAsync(key, Bytes("b"), 1);

        await store.Storage.ClearAsync(key, 2);

        Assert.Null(await store.Storage.ReadAsync(key));
        Assert.Equal(1, await store.Storage.WriteAsync(key, Bytes("reborn"), 0));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task Clear_with_a_stale_version_is_rejected_and_keeps_the_state(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        GrainStateKey key = Key("s1");
        await store.Storage.WriteAsync(key, Bytes("a"), 0);
        await store.Storage.WriteAsync(key, Bytes("b"), 1);

        InconsistentStateException error = await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.ClearAsync(key, 1));

        Assert.Equal(2L, error.StoredVersion);
        StoredGrainState state = (await store.Storage.ReadAsync(key))!;
        Assert.Equal(("b", 2L), (Text(state.Payload), state.Version));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task ReadAll_returns_every_state_of_one_grain_type_and_no_other(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        await store.Storage.WriteAsync(Key("b1"), Bytes("b1"), 0);
        await store.Storage.WriteAsync(Key("b2"), Bytes("b2"), 0);
        await store.Storage.WriteAsync(Key("b2"), Bytes("b2v2"), 1);
        await store.Storage.WriteAsync(Key("b2", "alarms"), Bytes("alarms"), 0);
        await store.Storage.WriteAsync(new GrainStateKey(_grainType + "-other", "b1", "state"), Bytes("other"), 0);

        List<(string, string, string, long)> all = new();
        await foreach (KeyValuePair<GrainStateKey, StoredGrainState> pair in store.Storage.ReadAllAsync(_grainType))
        {
            all.Add((pair.Key.GrainId, pair.Key.StateName, Text(pair.Value.Payload), pair.Value.Version));
        }

        Assert.Equal(
            [("b1", "state", "b1", 1L), ("b2", "alarms", "alarms", 1L), ("b2", "state", "b2v2", 2L)],
            all.OrderBy(row => row.Item1, StringComparer.Ordinal).ThenBy(row => row.Item2, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.DurableKinds), MemberType = typeof(StoreFixture))]
    public async Task State_survives_closing_and_reopening_the_store(StoreKind kind)
    {
        StoreOptions target = await fixture.CreateTargetAsync(kind);
        GrainStateKey key = Key("s1");
        await using (SiloStore first = await SiloStore.OpenAsync(target))
        {
            await first.Storage.WriteAsync(key, Bytes("a"), 0);
            await first.Storage.WriteAsync(key, Bytes("b"), 1);
        }

        await using SiloStore reopened = await SiloStore.OpenAsync(target);

        StoredGrainState state = (await reopened.Storage.ReadAsync(key))!;
        Assert.Equal(("b", 2L), (Text(state.Payload), state.Version));
        await Assert.ThrowsAsync<InconsistentStateException>(() => reopened.Storage.WriteAsync(key, Bytes("stale"), 1));
        Assert.Equal(3, await reopened.Storage.WriteAsync(key, Bytes("c"), 2));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.DurableKinds), MemberType = typeof(StoreFixture))]
    public async Task Disposing_the_store_commits_writes_still_queued(StoreKind kind)
    {
        StoreOptions target = await fixture.CreateTargetAsync(kind);
        const int count = 500;
        Task<long>[] writes;
        await using (SiloStore first = await SiloStore.OpenAsync(target))
        {
            writes = Enumerable.Range(0, count).Select(i => first.Storage.WriteAsync(Key($"q{i}"), Bytes($"q{i}"), 0)).ToArray();
        }

        // Disposal waited for the commit; callers' tasks settle asynchronously right after, so wait briefly for them.
        Assert.All(await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(10)), version => Assert.Equal(1, version));
        await using SiloStore reopened = await SiloStore.OpenAsync(target);
        int stored = 0;
        await foreach (KeyValuePair<GrainStateKey, StoredGrainState> _ in reopened.Storage.ReadAllAsync(_grainType))
        {
            stored++;
        }

        Assert.Equal(count, stored);
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task Initializing_the_schema_again_keeps_existing_state(StoreKind kind)
    {
        StoreOptions target = await fixture.CreateTargetAsync(kind);
        await using SiloStore store = await SiloStore.OpenAsync(target);
        GrainStateKey key = Key("s1");
        await store.Storage.WriteAsync(key, Bytes("kept"), 0);

        await store.Storage.InitializeAsync();
        await store.EventLog.InitializeAsync();
        await store.Reminders.InitializeAsync();
        await using SiloStore second = await SiloStore.OpenAsync(target);

        StoredGrainState state = (await store.Storage.ReadAsync(key))!;
        Assert.Equal(("kept", 1L), (Text(state.Payload), state.Version));
        Assert.Equal(2, await store.Storage.WriteAsync(key, Bytes("still writable"), 1));
    }

    private async Task<SiloStore> OpenAsync(StoreKind kind) => await SiloStore.OpenAsync(await fixture.CreateTargetAsync(kind));

    private GrainStateKey Key(string grainId, string stateName = "state") => new(_grainType, grainId, stateName);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] payload) => Encoding.UTF8.GetString(payload);
}
