using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using Microsoft.Extensions.Logging;
using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>
/// Turns sensor alerts into cases: subscribes to the silo's alerts feed and hands each alert whose kind the catalogue
/// maps to a category to the intake grain of its building and category (which de-duplicates). Alerts of other kinds
/// (warnings, the loop's own overdue notices) stay alerts. One per silo, started by <see cref="CaseLoop"/>.
/// </summary>
public sealed class CaseIntake(TwinFeeds feeds, IGrainFactory grains, CaseCatalogue catalogue, ILogger<CaseIntake> logger) : IAsyncDisposable
{
    private IAsyncDisposable? _subscription;
    private long _created;
    private long _ignored;
    private long _failed;

    /// <summary>Alerts turned into (or joined to) cases.</summary>
    public long Accepted => Interlocked.Read(ref _created);

    /// <summary>Alerts whose kind opens no case.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>Alerts that could not be turned into a case (logged).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Subscribes to alerts; calling it again does nothing.</summary>
    public async Task StartAsync()
    {
        if (Volatile.Read(ref _subscription) is not null)
        {
            return;
        }

        IAsyncDisposable subscription = feeds.Alerts.Subscribe(OnAlertAsync);
        if (Interlocked.CompareExchange(ref _subscription, subscription, null) is not null)
        {
            await subscription.DisposeAsync();
        }
    }

    /// <summary>Handles one alert (also callable directly, e.g. by a replay).</summary>
    public async Task<string?> OnAlertAsync(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (catalogue.ForAlertKind(alert.Kind) is not { } category)
        {
            Interlocked.Increment(ref _ignored);
            return null;
        }

        string source = alert.BuildingId ?? $"{alert.EntityType.ToString().ToLowerInvariant()}:{alert.EntityId}";
        try
        {
            string caseId = await grains.GetGrain<ICaseIntakeGrain>($"{source}|{category.Id}").AcceptAsync(alert, category.Id);
            Interlocked.Increment(ref _created);
            return caseId;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Increment(ref _failed);
            logger.LogWarning(e, "Alert {Alert} ({Kind}) could not be turned into a case", alert.Id, alert.Kind);
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _subscription, null) is { } subscription)
        {
            await subscription.DisposeAsync();
        }
    }
}
