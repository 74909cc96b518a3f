using CityTwin.Silo.Storage;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Cases;

/// <summary>
/// Keeps an area's case aggregates by report day. Updates are small in-memory increments; the state is written on a
/// timer when it changed (and on deactivation), not per event, because one busy district grain takes every case event
/// of the district and its state grows with the days it covers. The aggregates can be rebuilt from the cases.
/// </summary>
[GrainType("caseareastats")]
public sealed class CaseAreaStatsGrain([PersistentState("stats", SiloStore.StorageName)] IPersistentState<CaseAreaStatsState> stats)
    : PeriodicallyWrittenGrain<CaseAreaStatsState>(stats), ICaseAreaStatsGrain
{
    /// <inheritdoc />
    public Task RecordReportedAsync(CaseReportedEvent e)
    {
        foreach (CaseDayStats bucket in Buckets(e.ReportedAt))
        {
            AddReported(bucket, e);
        }

        if (e.CellId is not null)
        {
            State.Cells.Add(e.CellId);
        }

        Changed();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordStageAsync(CaseStageEvent e)
    {
        foreach (CaseDayStats bucket in Buckets(e.ReportedAt))
        {
            AddStage(bucket, e);
        }

        Changed();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordOverdueAsync(CaseOverdueEvent e)
    {
        foreach (CaseDayStats day in Buckets(e.ReportedAt))
        {
            day.OverdueOpen++;
            if (e.FirstTime)
            {
                day.Overdue++;
            }
        }

        Changed();
        return Task.CompletedTask;
    }

    private static void AddReported(CaseDayStats day, CaseReportedEvent e)
    {
        day.Reported++;
        Increment(day.BySource, e.Source, 1);
        Increment(day.ByCategory, e.Category, 1);
        Increment(day.ByStatus, CaseNames.Of(CaseStatus.Reported), 1);
        int hour = e.ReportedAt.UtcDateTime.Hour;
        day.Hours[hour]++;
        if (!day.CategoryHours.TryGetValue(e.Category, out int[]? hours))
        {
            day.CategoryHours[e.Category] = hours = new int[24];
        }

        hours[hour]++;
    }

    private static void AddStage(CaseDayStats day, CaseStageEvent e)
    {
        Increment(day.ByStatus, e.From, -1);
        Increment(day.ByStatus, e.To, 1);
        if (!day.Stages.TryGetValue(e.From, out DurationHistogram? h))
        {
            day.Stages[e.From] = h = new DurationHistogram();
        }

        h.Add(e.StageSeconds);
        if (e.EndToEndSeconds is { } total)
        {
            day.EndToEnd.Add(total);
        }

        if (e.StageWasOverdue)
        {
            day.OverdueOpen--;
        }
    }

    /// <inheritdoc />
    public Task<KpiReport> GetKpisAsync(DateTimeOffset? from, DateTimeOffset? to)
    {
        (int first, int last) = DayRange(from, to);
        var bySource = new Dictionary<string, long>(StringComparer.Ordinal);
        var byCategory = new Dictionary<string, long>(StringComparer.Ordinal);
        var byStatus = new Dictionary<string, long>(StringComparer.Ordinal);
        var stageDense = new Dictionary<string, (long[] Dense, long Count)>(StringComparer.Ordinal);
        long[] endToEnd = new long[DurationHistogram.MaxBucket + 1];
        long reported = 0, overdue = 0, overdueOpen = 0, endToEndCount = 0;
        foreach (CaseDayStats day in Covering(first, last))
        {
            reported += day.Reported;
            overdue += day.Overdue;
            overdueOpen += day.OverdueOpen;
            Sum(bySource, day.BySource);
            Sum(byCategory, day.ByCategory);
            Sum(byStatus, day.ByStatus);
            foreach ((string stage, DurationHistogram h) in day.Stages)
            {
                if (!stageDense.TryGetValue(stage, out (long[] Dense, long Count) acc))
                {
                    acc = (new long[DurationHistogram.MaxBucket + 1], 0);
                }

                h.AddTo(acc.Dense);
                stageDense[stage] = (acc.Dense, acc.Count + h.Count);
            }

            day.EndToEnd.AddTo(endToEnd);
            endToEndCount += day.EndToEnd.Count;
        }

        long closed = byStatus.GetValueOrDefault(CaseNames.Of(CaseStatus.Closed));
        long rejected = byStatus.GetValueOrDefault(CaseNames.Of(CaseStatus.Rejected));
        long citizen = bySource.GetValueOrDefault(CaseNames.Of(CaseSource.Citizen)) + bySource.GetValueOrDefault(CaseNames.Of(CaseSource.Hotline));
        var stages = new Dictionary<string, StageKpi>(StringComparer.Ordinal);
        foreach (string stage in CaseNames.Statuses)
        {
            if (stageDense.TryGetValue(stage, out (long[] Dense, long Count) acc))
            {
                stages[stage] = Kpi(acc.Dense, acc.Count);
            }
        }

        foreach (string key in byStatus.Where(kv => kv.Value == 0).Select(kv => kv.Key).ToArray())
        {
            byStatus.Remove(key);
        }

        return Task.FromResult(new KpiReport
        {
            Area = this.GetPrimaryKeyString(),
            From = first == int.MinValue ? null : new DateTimeOffset(DateOnly.FromDayNumber(first).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            To = last == int.MaxValue ? null : new DateTimeOffset(DateOnly.FromDayNumber(last + 1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            Reported = reported,
            BySource = bySource,
            ByCategory = byCategory,
            ByStatus = byStatus,
            Closed = closed,
            Rejected = rejected,
            ClosureRate = reported - rejected > 0 ? (double)closed / (reported - rejected) : null,
            CitizenShare = reported > 0 ? (double)citizen / reported : null,
            Overdue = overdue,
            OverdueOpen = overdueOpen,
            Stages = stages,
            EndToEnd = Kpi(endToEnd, endToEndCount),
        });
    }

    /// <inheritdoc />
    public Task<int[][]> GetHourWeekdayAsync(DateTimeOffset? from, DateTimeOffset? to, string? category, int utcOffsetHours)
    {
        (int first, int last) = DayRange(from, to);
        int[][] matrix = Enumerable.Range(0, 7).Select(_ => new int[24]).ToArray();
        foreach ((int dayNumber, CaseDayStats day) in State.Days)
        {
            if (dayNumber < first || dayNumber > last)
            {
                continue;
            }

            int[]? hours = category is null ? day.Hours : day.CategoryHours.GetValueOrDefault(category);
            if (hours is null)
            {
                continue;
            }

            for (int h = 0; h < 24; h++)
            {
                if (hours[h] == 0)
                {
                    continue;
                }

                // Shift the UTC hour to local time; the local day may be the day before or after.
                long localHours = ((long)dayNumber * 24) + h + utcOffsetHours;
                int localDay = (int)Math.Floor(localHours / 24.0);
                int localHour = (int)(localHours - ((long)localDay * 24));
                int weekday = ((int)DateOnly.FromDayNumber(localDay).DayOfWeek + 6) % 7;
                matrix[weekday][localHour] += hours[h];
            }
        }

        return Task.FromResult(matrix);
    }

    /// <inheritdoc />
    public Task<string[]> GetCellsAsync() => Task.FromResult(State.Cells.ToArray());

    /// <summary>The UTC day numbers [first, last] covering [from, to); unbounded ends are the extreme values.</summary>
    internal static (int First, int Last) DayRange(DateTimeOffset? from, DateTimeOffset? to) => (
        from is { } f ? DateOnly.FromDateTime(f.UtcDateTime).DayNumber : int.MinValue,
        to is { } t ? (t == DateTimeOffset.MinValue ? int.MinValue : DateOnly.FromDateTime(t.UtcDateTime.AddTicks(-1)).DayNumber) : int.MaxValue);

    private static StageKpi Kpi(long[] dense, long count) =>
        new(count, DurationHistogram.Quantile(dense, count, 0.5), DurationHistogram.Quantile(dense, count, 0.9));

    private static void Increment(Dictionary<string, int> counts, string key, int by) => counts[key] = counts.GetValueOrDefault(key) + by;

    private static void Sum(Dictionary<string, long> into, Dictionary<string, int> from)
    {
        foreach ((string k, int v) in from)
        {
            into[k] = into.GetValueOrDefault(k) + v;
        }
    }

    private static int MonthOf(DateOnly day) => (day.Year * 12) + day.Month - 1;

    // The day's bucket and its month's bucket: every event is counted in both.
    private CaseDayStats[] Buckets(DateTimeOffset reportedAt)
    {
        var date = DateOnly.FromDateTime(reportedAt.UtcDateTime);
        if (!State.Days.TryGetValue(date.DayNumber, out CaseDayStats? day))
        {
            State.Days[date.DayNumber] = day = new CaseDayStats();
        }

        if (!State.Months.TryGetValue(MonthOf(date), out CaseDayStats? month))
        {
            State.Months[MonthOf(date)] = month = new CaseDayStats();
        }

        return [day, month];
    }

    // The buckets that together cover days [first, last] once: whole months inside the range, single days elsewhere.
    private IEnumerable<CaseDayStats> Covering(int first, int last)
    {
        foreach ((int month, CaseDayStats stats) in State.Months)
        {
            var monthStart = new DateOnly(month / 12, (month % 12) + 1, 1);
            int start = monthStart.DayNumber, end = monthStart.AddMonths(1).DayNumber - 1;
            if (end < first || start > last)
            {
                continue;
            }

            if (start >= first && end <= last)
            {
                yield return stats;
                continue;
            }

            for (int d = Math.Max(start, first); d <= Math.Min(end, last); d++)
            {
                if (State.Days.TryGetValue(d, out CaseDayStats? day))
                {
                    yield return day;
                }
            }
        }
    }

}
