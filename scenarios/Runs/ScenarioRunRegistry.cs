using System.Collections.Concurrent;
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
/// <c>maxConcurrent</c> at once (the rest queue), publishes progress on a feed (the hub pushes it), can be cancelled,
/// and releases its fork when it finishes. Finished runs are kept for reading up to <c>keepFinished</c>.
/// </summary>
public sealed class ScenarioRunRegistry : IAsyncDisposable
{
    private readonly Func<DateTimeOffset?, CancellationToken, Task<TwinFork>> _forkFactory;
    private readonly ChangeFeed<ScenarioProgress>? _progress;
    private readonly IEventLog? _recordedLog;
    private readonly int _keepFinished;
    private readonly SemaphoreSlim _slots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ScenarioRun> _runs = new(StringComparer.Ordinal);
    private int _activeForks;

    /// <summary>Creates a registry.</summary>
    /// <param name="forkFactory">Forks the twin at an optional simulated start time.</param>
    /// <param name="progress">The feed progress is published on, for pushes; null for none.</param>
    /// <param name="recordedLog">The live event log replays read from; null disables replays.</param>
    /// <param name="maxConcurrent">Runs that may execute at once.</param>
    /// <param name="keepFinished">Finished runs kept for reading.</param>
    /// <param name="logger">Logger.</param>
    public ScenarioRunRegistry(Func<DateTimeOffset?, CancellationToken, Task<TwinFork>> forkFactory, ChangeFeed<ScenarioProgress>? progress = null,
        IEventLog? recordedLog = null, int maxConcurrent = 2, int keepFinished = 100, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        _forkFactory = forkFactory;
        _progress = progress;
        _recordedLog = recordedLog;
        _keepFinished = keepFinished;
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
        _time = TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Forks currently alive (runs holding one).</summary>
    public int ActiveForks => Volatile.Read(ref _activeForks);

    /// <summary>True when replays can be started.</summary>
    public bool CanReplay => _recordedLog is not null;

    /// <summary>Accepts a scenario run; it starts when a slot is free.</summary>
    public ScenarioRun Start(ScenarioDefinition definition) => Start(definition, null);

    /// <summary>Accepts a scenario run on a fork made by <paramref name="forkFactory"/> (e.g. of a saved snapshot) instead of the registry's.</summary>
    public ScenarioRun Start(ScenarioDefinition definition, Func<DateTimeOffset?, CancellationToken, Task<TwinFork>>? forkFactory)
    {
        ScenarioRun run = Register(definition.Name, ScenarioParser.Kebab(definition.Kind.ToString()));
        _ = ExecuteAsync(run, definition.Start, forkFactory ?? _forkFactory, (fork, ct) => ScenarioRunner.RunAsync(fork, definition, p => Publish(run, p), run.Id, run.Result, ct));
        return run;
    }

    /// <summary>Accepts a replay of the recorded event log.</summary>
    public ScenarioRun StartReplay(ReplayRequest request)
    {
        IEventLog log = _recordedLog ?? throw new InvalidOperationException("This registry has no recorded event log to replay.");
        ScenarioRun run = Register($"replay {request.From:O} - {request.To:O}", "replay");
        _ = ExecuteAsync(run, request.From, _forkFactory, (fork, ct) => ReplayEngine.RunAsync(fork, log, request, run.Result, p => Publish(run, p with { RunId = run.Id }), ct));
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

    /// <summary>Cancels every run and waits for their forks to be released.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (ScenarioRun run in _runs.Values)
        {
            if (!run.IsFinished)
            {
                await run.Cancellation.CancelAsync();
            }
        }

        await Task.WhenAll(_runs.Values.Select(r => r.Completion));
        _slots.Dispose();
    }

    private ScenarioRun Register(string name, string kind)
    {
        string id = Guid.NewGuid().ToString("N")[..16];
        var run = new ScenarioRun(id, name, kind, new ScenarioResult { Name = name, Kind = kind }, _time.GetUtcNow());
        _runs[id] = run;
        Evict();
        return run;
    }

    private async Task ExecuteAsync(ScenarioRun run, DateTimeOffset? start, Func<DateTimeOffset?, CancellationToken, Task<TwinFork>> forkFactory, Func<TwinFork, CancellationToken, Task> body)
    {
        await Task.Yield();
        CancellationToken ct = run.Cancellation.Token;
        ScenarioRunStatus status = ScenarioRunStatus.Completed;
        string? error = null;
        bool slot = false;
        try
        {
            Publish(run, new ScenarioProgress(run.Id, run.Name, ScenarioRunStatus.Queued, 0, null, "queued"));
            await _slots.WaitAsync(ct);
            slot = true;
            run.MarkRunning(_time.GetUtcNow());
            Publish(run, new ScenarioProgress(run.Id, run.Name, ScenarioRunStatus.Running, 0, null, "forking the twin"));
            TwinFork fork = await forkFactory(start, ct);
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
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            status = ScenarioRunStatus.Cancelled;
        }
        catch (ScenarioValidationException e)
        {
            status = ScenarioRunStatus.Failed;
            error = e.Message;
        }
        catch (Exception e)
        {
            status = ScenarioRunStatus.Failed;
            error = e.Message;
            _logger.LogError(e, "Scenario run {Id} ({Name}) failed", run.Id, run.Name);
        }
        finally
        {
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
        run.SetProgress(progress.Progress, progress.SimulatedTime);
        _progress?.Publish(progress with { RunId = run.Id });
    }

    private void Evict()
    {
        ScenarioRun[] finished = [.. _runs.Values.Where(r => r.IsFinished).OrderBy(r => r.CreatedAt)];
        for (int i = 0; i < finished.Length - _keepFinished; i++)
        {
            _runs.TryRemove(finished[i].Id, out _);
        }
    }
}
