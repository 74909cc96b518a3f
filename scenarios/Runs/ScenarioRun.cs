namespace CityTwin.Scenarios.Runs;

/// <summary>One run known to a <see cref="ScenarioRunRegistry"/>: its status, progress, simulated time and result.</summary>
public sealed class ScenarioRun
{
    private readonly Lock _lock = new();
    private ScenarioRunStatus _status = ScenarioRunStatus.Queued;
    private double _progress;
    private DateTimeOffset? _simulatedTime;
    private DateTimeOffset? _startedAt;
    private DateTimeOffset? _finishedAt;
    private string? _error;
    private double? _forkSeconds;
    private Action? _onProgress;

    internal ScenarioRun(string id, string name, string kind, ScenarioResult result, DateTimeOffset createdAt)
    {
        Id = id;
        Name = name;
        Kind = kind;
        Result = result;
        CreatedAt = createdAt;
    }

    /// <summary>Run id.</summary>
    public string Id { get; }

    /// <summary>Scenario name.</summary>
    public string Name { get; }

    /// <summary>Scenario kind (kebab-case), or "replay".</summary>
    public string Kind { get; }

    /// <summary>When the run was accepted (real time).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The result, filled as the run goes (complete once the run has finished).</summary>
    public ScenarioResult Result { get; }

    /// <summary>Current status.</summary>
    public ScenarioRunStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>True once completed, failed or cancelled.</summary>
    public bool IsFinished => Status is ScenarioRunStatus.Completed or ScenarioRunStatus.Failed or ScenarioRunStatus.Cancelled;

    /// <summary>Completes when the run has finished and its fork is released.</summary>
    public Task Completion => CompletionSource.Task;

    internal TaskCompletionSource CompletionSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal CancellationTokenSource Cancellation { get; } = new();

    // Called on every progress report while the run holds a slot (it re-arms the stall timer).
    internal Action? OnProgress
    {
        get => Volatile.Read(ref _onProgress);
        set => Volatile.Write(ref _onProgress, value);
    }

    /// <summary>A consistent view for the API.</summary>
    public ScenarioRunView ToView(bool includeResult = true)
    {
        lock (_lock)
        {
            return new ScenarioRunView(Id, Name, Kind, ScenarioParser.Kebab(_status.ToString()), Math.Round(_progress, 4), _simulatedTime,
                CreatedAt, _startedAt, _finishedAt, _error, includeResult && _status != ScenarioRunStatus.Running ? Result : null)
            {
                ForkSeconds = _forkSeconds,
            };
        }
    }

    internal void MarkForked(TimeSpan took)
    {
        lock (_lock)
        {
            _forkSeconds = Math.Round(took.TotalSeconds, 3);
        }
    }

    internal void MarkRunning(DateTimeOffset at)
    {
        lock (_lock)
        {
            _status = ScenarioRunStatus.Running;
            _startedAt = at;
        }
    }

    internal void SetProgress(double progress, DateTimeOffset? simulatedTime)
    {
        lock (_lock)
        {
            _progress = Math.Max(_progress, progress);
            _simulatedTime = simulatedTime ?? _simulatedTime;
        }
    }

    internal void Finish(ScenarioRunStatus status, DateTimeOffset at, string? error)
    {
        lock (_lock)
        {
            _status = status;
            _finishedAt = at;
            _error = error;
            if (status == ScenarioRunStatus.Completed)
            {
                _progress = 1;
            }
        }
    }
}
