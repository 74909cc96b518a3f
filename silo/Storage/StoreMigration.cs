namespace CityTwin.Silo.Storage;

/// <summary>
/// What opening a store copied from the tables of a CityTwin build that predates Orleans (grain_state, reminders) into
/// Orleans' tables. The old tables are kept, renamed, as a backup.
/// </summary>
/// <param name="States">Grain states copied into OrleansStorage.</param>
/// <param name="SkippedStates">Old states not copied because OrleansStorage already held that state (the newer one wins).</param>
/// <param name="Reminders">Reminders copied into OrleansRemindersTable.</param>
/// <param name="SkippedReminders">Old reminders not copied because OrleansRemindersTable already held them.</param>
/// <param name="RenamedTables">The old tables' new names, e.g. "grain_state_before_orleans".</param>
public sealed record StoreMigration(long States, long SkippedStates, long Reminders, long SkippedReminders, IReadOnlyList<string> RenamedTables)
{
    /// <summary>One line for the start-up log.</summary>
    public override string ToString() =>
        $"migrated {States} grain states ({SkippedStates} already present) and {Reminders} reminders ({SkippedReminders} already present) "
        + $"from the pre-Orleans tables, kept as {string.Join(", ", RenamedTables)}";
}
