using System.Collections.Concurrent;
using System.Diagnostics;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Replay;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Feed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// The runs of one server: each run gets its own fork (made by <c>forkFactory</c>), runs in the background with at most
/// <see cref="ScenarioRunOptions.MaxConcurrentRuns"/> at once and <see cref="ScenarioRunOptions.MaxQueuedRuns"/> waiting
/// (beyond that <see cref="Start(ScenarioDefinition)"/> throws <see cref="ScenarioQueueFullException"/>), publishes progress
/// on a feed (the hub pushes it), can be cancelled, fails when it outlives its time budget or stops making progress, and
/// releases its fork when it finishes. Finished runs are kept for reading up to <see cref="ScenarioRunOptions.KeepFinishedRuns"/>.
/// </summary>
public sealed class ScenarioRunRegistry : IAsyncDisposable
{
    private readonly Func<DateTimeOffset?, CancellationToken, Task<TwinFork>> _forkFactory;
    private readonly ChangeFeed<ScenarioProgress>? _progress;
    private readonly IEventLog? _recordedLog;
    private readonly ScenarioRunOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ScenarioRun> _runs = new(StringComparer.Ordinal);
    private int _activeForks;
    private int _queued;

    /// <summary>Creates a registry.</summary>
    /// <param name="forkFactory">Forks the twin at an optional simulated start time.</param>
    /// <param name="progress">The feed progress is published on, for pushes; null for none.</param>
    /// <param name="recordedLog">The live event log replays read from; null disables replays.</param>
    /// <param name="options">Slots, queue and budgets (validated here); null for the defaults.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="time">The clock of run budgets and stall detection (real time unless a test gives its own).</param>
    public ScenarioRunRegistry(Func<DateTimeOffset?, CancellationToken, Task<TwinFork>> forkFactory, ChangeFeed<ScenarioProgress>? progress = null,
        IEventLog? recordedLog = null, ScenarioRunOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        _options = options ?? new ScenarioRunOptions();
        _options.Validate();
        _forkFactory = forkFactory;
        _progress = progress;
        _recordedLog = recordedLog;
        _slots = new SemaphoreSlim(_options.MaxConcurrentRuns, _options.MaxConcurrentRuns);
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The slots, queue and budgets runs are held to.</summary>
    public ScenarioRunOptions Options => _options;

    /// <summary>Forks currently alive (runs holding one).</summary>
    public int ActiveForks => Volatile.Read(ref _activeForks);

    /// <summary>Accepted runs waiting for a slot.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>True when replays can be started.</summary>
    public bool CanReplay => _recordedLog is not null;

    /// <summary>Accepts a scenario run; it starts when a slot is free. Throws <see cref="ScenarioQueueFullException"/> when the queue is full.</summary>
    public ScenarioRun Start(ScenarioDefinition definition) => Start(definition, null);

    /// <summary>Accepts a scenario run on a fork made by <paramref name="forkFactory"/> (e.g. of a saved snapshot) instead of the registry's.</summary>
    public ScenarioRun Start(ScenarioDefinition definition, Func<DateTimeOffset?, CancellationToken, Task<TwinFork>>? forkFactory)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ScenarioRun run = Register(definition.Name, ScenarioParser.Kebab(definition.Kind.ToString()));
        _ = ExecuteAsync(run, definition.Start, forkFactory ?? _forkFactory, (fork, ct) => ScenarioRunner.RunAsync(fork, definition, p => Publish(run, p), run.Id, run.Result, ct));
        return run;
    }

    /// <summary>Accepts a replay of the recorded event log. Throws <see cref="ScenarioQueueFullException"/> when the queue is full.</summary>
    public ScenarioRun StartReplay(ReplayRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        IEventLog log = _recordedLog ?? throw new InvalidOperationException("This registry has no recorded event log to replay.");
        ScenarioRun run = Register($"replay {request.From:O} - {request.To:O}", "replay");
        _ = ExecuteAsync(run, request.From, _forkFactory, (fork, ct) => ReplayEngine.RunAsync(fork, log, request, run.Result, p => Publish(run, p with { RunId = run.Id }), ct, _options));
        return run;
    }

    /// <summary>A run by id, or null.</summary>
    public ScenarioRun? Get(string id) => _runs.GetValueOrDefault(id);

    /// <summary>Every run known, newest first.</summary>
    public IReadOnlyList<ScenarioRun> List() => [.. _runs.Values.OrderByDescending(r => r.CreatedAt)];

    /// <summary>Asks a run to stop; false when it does not exist or has finished.</summary>
    public bool Cancel(string id)
    {
        if (!_runs.TryGetValue(id, out ScenarioRun? run) || run.IsFinished)
        {
            return false;
        }

        run.Cancellation.Cancel();
        return true;
    }

    /// <summary>
    /// Cancels every run and waits until each has ended and released its fork, or <paramref name="cancellationToken"/>
    /// fires (a server stopping waits no longer than its own timeout); returns the runs still ending then.
    /// </summary>
    public async Task<int> StopAllAsync(CancellationToken cancellationToken)
    {
        ScenarioRun[] runs = [.. _runs.Values];
        foreach (ScenarioRun run in runs.Where(r => !r.IsFinished))
        {
            await run.Cancellation.CancelAsync();
        }

        try
        {
            await Task.WhenAll(runs.Select(r => r.Completion)).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return runs.Count(r => !r.Completion.IsCompleted);
    }

    /// <summary>Cancels every run and waits, at most <see cref="ScenarioRunOptions.StopTimeout"/>, for their forks to be released.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(_options.StopTimeout, _time);
        if (await StopAllAsync(timeout.Token) == 0)
        {
            // A run still ending releases its slot later; only then may the semaphore go.
            _slots.Dispose();
        }
    }

    private ScenarioRun Register(string name, string kind)
    {
        if (Interlocked.Increment(ref _queued) > _options.MaxQueuedRuns + FreeSlots())
        {
            Interlocked.Decrement(ref _queued);
            throw new ScenarioQueueFullException(_options.MaxQueuedRuns);
        }

        string id = Guid.NewGuid().ToString("N")[..16];
        var run = new ScenarioRun(id, name, kind, new ScenarioResult { Name = name, Kind = kind }, _time.GetUtcNow());
        _runs[id] = run;
        Evict();
        return run;
    }

    // A run accepted while a slot is free does not wait in the queue.
    private int FreeSlots() => _slots.CurrentCount;

    private async Task ExecuteAsync(ScenarioRun run, DateTimeOffset? start, Func<DateTimeOffset?, CancellationToken, Task<TwinFork>> forkFactory, Func<TwinFork, CancellationToken, Task> body)
    {
        await Task.Yield();
        CancellationToken cancelled = run.Cancellation.Token;

        // The run's own token also fires when the run outlives its time budget or stops making progress.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancelled);
        CancellationToken ct = budget.Token;
        string? overrun = null;
        void Overrun(string why)
        {
            if (Interlocked.CompareExchange(ref overrun, why, null) is null)
            {
                try
                {
                    budget.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The run ended as the timer fired.
                }
            }
        }

        using ITimer deadline = _time.CreateTimer(_ => Overrun($"The run took longer than its time budget of {_options.MaxRunTime} (Scenarios:MaxRunTime); shorten the scenario or use a longer step or reporting interval."), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        using ITimer stall = _time.CreateTimer(_ => Overrun($"The run made no progress for {_options.StallTimeout} (Scenarios:StallTimeout) and was stopped."), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        ScenarioRunStatus status = ScenarioRunStatus.Completed;
        string? error = null;
        bool slot = false;
        bool queued = true;
        try
        {
            Publish(run, new ScenarioProgress(run.Id, run.Name, ScenarioRunStatus.Queued, 0, null, "queued"));
            await _slots.WaitAsync(ct);
            slot = true;
            Interlocked.Decrement(ref _queued);
            queued = false;
            run.MarkRunning(_time.GetUtcNow());
            deadline.Change(_options.MaxRunTime, Timeout.InfiniteTimeSpan);
            run.OnProgress = () => stall.Change(_options.StallTimeout, Timeout.InfiniteTimeSpan);
            Publish(run, new ScenarioProgress(run.Id, run.Name, ScenarioRunStatus.Running, 0, null, "forking the twin"));
            long forking = Stopwatch.GetTimestamp();
            TwinFork fork = await forkFactory(start, ct);
            run.MarkForked(Stopwatch.GetElapsedTime(forking));
            Interlocked.Increment(ref _activeForks);
            try
            {
                await body(fork, ct);
            }
            finally
            {
                // A finished run releases its fork at once: its grains, storage and clock are dropped.
                await fork.DisposeAsync();
                Interlocked.Decrement(ref _activeForks);
            }
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            status = ScenarioRunStatus.Cancelled;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && Volatile.Read(ref overrun) is { } why)
        {
            status = ScenarioRunStatus.Failed;
            error = why;
        }
        catch (Exception e) when (e is ScenarioValidationException or ScenarioRunException)
        {
            status = ScenarioRunStatus.Failed;
            error = e.Message;
        }
        catch (Exception e)
        {
            // The exception's own text is for the log; the user gets what happened and where to look.
            status = ScenarioRunStatus.Failed;
            error = $"The run stopped on an internal error ({e.GetType().Name}); the server log has the details under run {run.Id}.";
            _logger.LogError(e, "Scenario run {Id} ({Name}) failed", run.Id, run.Name);
        }
        finally
        {
            run.OnProgress = null;
            if (queued)
            {
                Interlocked.Decrement(ref _queued);
            }

            if (slot)
            {
                _slots.Release();
            }
        }

        run.Finish(status, _time.GetUtcNow(), error);
        Publish(run, new ScenarioProgress(run.Id, run.Name, status, run.ToView(false).Progress, run.Result.SimulatedEnd == default ? null : run.Result.SimulatedEnd, error ?? ScenarioParser.Kebab(status.ToString())));
        run.CompletionSource.TrySetResult();
    }

    private void Publish(ScenarioRun run, ScenarioProgress progress)
    {
        run.OnProgress?.Invoke();
        run.SetProgress(progress.Progress, progress.SimulatedTime);
        _progress?.Publish(progress with { RunId = run.Id });
    }

    private void Evict()
    {
        ScenarioRun[] finished = [.. _runs.Values.Where(r => r.IsFinished).OrderBy(r => r.CreatedAt)];
        for (int i = 0; i < finished.Length - _options.KeepFinishedRuns; i++)
        {
            _runs.TryRemove(finished[i].Id, out _);
        }
    }
}
