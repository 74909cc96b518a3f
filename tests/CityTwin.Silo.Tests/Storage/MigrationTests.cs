using System.Globalization;
using System.Text;
using CityTwin.Silo.Storage;
using CityTwin.TestSupport;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>
/// A database made by the CityTwin build that predates Orleans (tables grain_state and reminders) is moved into
/// Orleans' tables when the store opens, and Orleans' providers find its states and reminders; a foreign table of
/// the same name is refused, untouched.
/// </summary>
public sealed class MigrationTests
{
    // The earlier build's tables (silo/Storage/PostgresGrainStorage.cs and silo/Reminders/PostgresReminderTable.cs).
    private const string PostgresLegacySchema = """
        CREATE TABLE grain_state (
            grain_type  text        NOT NULL,
            grain_id    text        NOT NULL,
            state_name  text        NOT NULL,
            payload     bytea       NOT NULL,
            version     bigint      NOT NULL,
            modified_at timestamptz NOT NULL,
            PRIMARY KEY (grain_type, grain_id, state_name)
        ) WITH (fillfactor = 75);
        CREATE TABLE reminders (
            grain_type   text        NOT NULL,
            grain_id     text        NOT NULL,
            name         text        NOT NULL,
            start_at     timestamptz NOT NULL,
            period_ticks bigint      NOT NULL,
            PRIMARY KEY (grain_type, grain_id, name)
        );
        """;

    // The same in SQLite (silo/Storage/SqliteGrainStorage.cs, silo/Reminders/SqliteReminderTable.cs): times in unix µs.
    private const string SqliteLegacySchema = """
        CREATE TABLE grain_state (
            grain_type  TEXT    NOT NULL,
            grain_id    TEXT    NOT NULL,
            state_name  TEXT    NOT NULL,
            payload     BLOB    NOT NULL,
            version     INTEGER NOT NULL,
            modified_at INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_id, state_name)
        );
        CREATE TABLE reminders (
            grain_type   TEXT    NOT NULL,
            grain_id     TEXT    NOT NULL,
            name         TEXT    NOT NULL,
            start_at     INTEGER NOT NULL,
            period_ticks INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_id, name)
        );
        """;

    [Theory]
    [MemberData(nameof(StoreTarget.DurableKinds), MemberType = typeof(StoreTarget))]
    public async Task An_earlier_builds_states_and_reminders_are_moved_into_orleans_tables(StoreKind kind)
    {
        await using StoreTarget target = await StoreTarget.CreateAsync(kind);

        // A state this build already wrote is newer than the old row of the same grain, which must not replace it.
        await using (SiloStore store = await target.OpenAsync())
        await using (TestSilo silo = await TestSilo.StartAsync(store))
        {
            await silo.Grains.GetGrain<ICounterGrain>("both").AddAsync(1, "new build");
        }

        await target.ExecuteAsync(kind == StoreKind.Postgres ? PostgresLegacySchema : SqliteLegacySchema);
        await InsertStateAsync(target, "counter", "old-1", """{"count":5,"notes":["before orleans"]}""", version: 3);
        await InsertStateAsync(target, "tally", "old-1", """{"count":9}""", version: 1);
        await InsertStateAsync(target, "counter", "abc", """{"count":6}""", version: 12);
        await InsertStateAsync(target, "counter", "both", """{"count":50}""", version: 7);
        await InsertReminderAsync(target, "counter", "old-1", "sla", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromSeconds(1));

        await using (SiloStore store = await target.OpenAsync())
        {
            StoreMigration migration = Assert.IsType<StoreMigration>(store.Migration);
            Assert.Equal((3, 1, 1, 0), (migration.States, migration.SkippedStates, migration.Reminders, migration.SkippedReminders));
            Assert.Equal(["grain_state_before_orleans", "reminders_before_orleans"], migration.RenamedTables);

            List<string> listed = new();
            await foreach (StoredState state in store.States.ReadAllAsync("counter"))
            {
                listed.Add($"{state.Key}:{Encoding.UTF8.GetString(state.Payload.Span)}");
            }

            Assert.Equal(
                ["abc:{\"count\":6}", "both:{\"count\":1,\"notes\":[\"new build\"]}", "old-1:{\"count\":5,\"notes\":[\"before orleans\"]}"],
                listed.Order(StringComparer.Ordinal));

            // Orleans' provider finds the copied rows (same hashes), takes their versions as ETags, and its reminder
            // service finds the copied reminder in its hash range.
            await using TestSilo silo = await TestSilo.StartAsync(store);
            ICounterGrain old = silo.Grains.GetGrain<ICounterGrain>("old-1");
            Assert.Equal(["before orleans"], (await old.GetAsync()).Notes);
            Assert.Equal(6, await old.AddAsync(1, "after orleans"));
            Assert.Equal(9, await silo.Grains.GetGrain<ITallyGrain>("old-1").GetAsync());
            Assert.Equal(7, await silo.Grains.GetGrain<ICounterGrain>("abc").AddAsync(1, "x"));
            Assert.Equal(1, (await silo.Grains.GetGrain<ICounterGrain>("both").GetAsync()).Count);
            await TestWait.UntilAsync(() => silo.Reminders.Count("old-1", "sla") >= 1, TimeSpan.FromSeconds(60), "a tick of the migrated reminder");
            await old.ForgetAsync("sla");
        }

        // The old tables are kept, renamed, and nothing is migrated twice.
        Assert.Equal(4, await target.CountAsync("SELECT count(*) FROM grain_state_before_orleans"));
        await using (SiloStore store = await target.OpenAsync())
        {
            Assert.Null(store.Migration);
            await using TestSilo silo = await TestSilo.StartAsync(store);
            Assert.Equal(6, (await silo.Grains.GetGrain<ICounterGrain>("old-1").GetAsync()).Count);
        }
    }

    [Theory]
    [MemberData(nameof(StoreTarget.DurableKinds), MemberType = typeof(StoreTarget))]
    public async Task A_grain_state_table_that_is_not_ours_is_refused_and_left_untouched(StoreKind kind)
    {
        await using StoreTarget target = await StoreTarget.CreateAsync(kind);
        await target.ExecuteAsync("CREATE TABLE grain_state (id integer PRIMARY KEY, data text); INSERT INTO grain_state VALUES (1, 'keep me');");

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(target.OpenAsync);

        Assert.Contains("'grain_state'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rename or drop it", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await target.CountAsync("SELECT count(*) FROM grain_state WHERE data = 'keep me'"));
    }

    private static Task InsertStateAsync(StoreTarget target, string grainType, string grainId, string json, long version)
    {
        string hex = Convert.ToHexString(Encoding.UTF8.GetBytes(json));
        string sql = target.Kind == StoreKind.Postgres
            ? $"INSERT INTO grain_state VALUES ('{grainType}', '{grainId}', 'entity', '\\x{hex}'::bytea, {version}, now())"
            : $"INSERT INTO grain_state VALUES ('{grainType}', '{grainId}', 'entity', x'{hex}', {version}, {Micros(DateTimeOffset.UtcNow)})";
        return target.ExecuteAsync(sql);
    }

    private static Task InsertReminderAsync(StoreTarget target, string grainType, string grainId, string name, DateTimeOffset startAt, TimeSpan period)
    {
        string ticks = period.Ticks.ToString(CultureInfo.InvariantCulture);
        string sql = target.Kind == StoreKind.Postgres
            ? $"INSERT INTO reminders VALUES ('{grainType}', '{grainId}', '{name}', '{startAt.UtcDateTime:O}'::timestamptz, {ticks})"
            : $"INSERT INTO reminders VALUES ('{grainType}', '{grainId}', '{name}', {Micros(startAt)}, {ticks})";
        return target.ExecuteAsync(sql);
    }

    private static string Micros(DateTimeOffset at) =>
        ((at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond).ToString(CultureInfo.InvariantCulture);
}
