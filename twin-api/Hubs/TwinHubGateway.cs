using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Silo.Streams;
using CityTwin.TwinApi.Hosting;

namespace CityTwin.TwinApi.Hubs;

/// <summary>
/// Forwards the live silo's streams to hub clients: once the silo runs it subscribes to the alerts, entity-changes,
/// case-changes and scenario-progress namespaces, matches each item against the subscription index, serialises it once
/// if anyone wants it, and queues it in the outbox of each matching connection. It never awaits a client, so a slow
/// client cannot make the silo's stream buffer overflow for everyone else.
/// </summary>
public sealed class TwinHubGateway(SiloHost siloHost, HubSubscriptions subscriptions, IHostApplicationLifetime lifetime, ILogger<TwinHubGateway> logger) : IHostedService
{
    private readonly List<StreamSubscriptionHandle> _handles = [];
    private readonly Lock _lock = new();
    private CancellationTokenRegistration _onStarted;
    private bool _stopped;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (siloHost.IsReady)
        {
            await SubscribeAsync();
        }
        else
        {
            // Registered before the silo host: every hosted service has started (the silo with them) by ApplicationStarted.
            _onStarted = lifetime.ApplicationStarted.Register(() => _ = SubscribeOnStartedAsync());
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _onStarted.DisposeAsync();
        StreamSubscriptionHandle[] handles;
        lock (_lock)
        {
            _stopped = true;
            handles = [.. _handles];
            _handles.Clear();
        }

        foreach (StreamSubscriptionHandle handle in handles)
        {
            await handle.UnsubscribeAsync();
        }
    }

    private async Task SubscribeOnStartedAsync()
    {
        try
        {
            await SubscribeAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "The hub gateway could not subscribe to the silo's streams; clients will get no pushes");
        }
    }

    private async Task SubscribeAsync()
    {
        IStreamProvider streams = siloHost.Silo.Streams;
        StreamSubscriptionHandle[] handles =
        [
            await streams.SubscribeNamespaceAsync<Alert>(TwinStreams.Alerts, OnAlert),
            await streams.SubscribeNamespaceAsync<EntitySummary>(TwinStreams.EntityChanges, OnEntityChanged),
            await streams.SubscribeNamespaceAsync<object>(TwinStreams.CaseChanges, OnCaseChanged),
            await streams.SubscribeNamespaceAsync<object>(TwinStreams.ScenarioProgress, OnScenarioProgress),
        ];
        bool stopped;
        lock (_lock)
        {
            stopped = _stopped;
            if (!stopped)
            {
                _handles.AddRange(handles);
            }
        }

        if (stopped)
        {
            foreach (StreamSubscriptionHandle handle in handles)
            {
                await handle.UnsubscribeAsync();
            }
        }
    }

    private Task OnAlert(Alert alert, StreamId streamId)
    {
        bool warning = string.Equals(alert.Channel, "warning", StringComparison.OrdinalIgnoreCase);
        PushChannels channel = warning ? PushChannels.Warning : PushChannels.Alert;
        var place = new ItemPlace(alert.Position, alert.GridId, alert.CommunityId, alert.StreetId);
        IReadOnlyCollection<ConnectionOutbox> targets = subscriptions.Index.Match(channel, alert.EntityType, place);
        if (targets.Count > 0)
        {
            var push = new Push(warning ? "warning" : "alert", PushPayload.From(alert));
            foreach (ConnectionOutbox target in targets)
            {
                target.Enqueue(push);
            }
        }

        return Task.CompletedTask;
    }

    private Task OnEntityChanged(EntitySummary summary, StreamId streamId)
    {
        var place = new ItemPlace(summary.Position, summary.GridId, summary.CommunityId, summary.StreetId);
        IReadOnlyCollection<ConnectionOutbox> targets = subscriptions.Index.Match(PushChannels.EntityChanged, summary.Type, place);
        if (targets.Count > 0)
        {
            var push = new Push("entityChanged", PushPayload.From(summary));
            foreach (ConnectionOutbox target in targets)
            {
                target.EnqueueEntityChange(summary.Id, push);
            }
        }

        return Task.CompletedTask;
    }

    private Task OnCaseChanged(object change, StreamId streamId)
    {
        if ((subscriptions.Index.Channels & PushChannels.CaseChanged) == 0)
        {
            return Task.CompletedTask;
        }

        // The case record belongs to the case loop; its place is read from the JSON it serialises to (top-level
        // position/location, gridId, communityId, streetId), so the hub need not know its type.
        PushPayload payload = PushPayload.From(change);
        IReadOnlyCollection<ConnectionOutbox> targets = subscriptions.Index.Match(PushChannels.CaseChanged, null, PlaceOf(payload));
        if (targets.Count > 0)
        {
            var push = new Push("caseChanged", payload);
            foreach (ConnectionOutbox target in targets)
            {
                target.Enqueue(push);
            }
        }

        return Task.CompletedTask;
    }

    private Task OnScenarioProgress(object progress, StreamId streamId)
    {
        IReadOnlyCollection<ConnectionOutbox> targets = subscriptions.Index.Match(PushChannels.ScenarioProgress, null, null);
        if (targets.Count > 0)
        {
            var push = new Push("scenarioProgress", PushPayload.From(progress));
            foreach (ConnectionOutbox target in targets)
            {
                target.Enqueue(push);
            }
        }

        return Task.CompletedTask;
    }

    private static ItemPlace PlaceOf(PushPayload payload)
    {
        using JsonDocument document = JsonDocument.Parse(payload.Utf8Json);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        GeoPoint? position = null;
        string? grid = null, community = null, street = null;
        foreach (JsonProperty p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "position" or "location":
                    position ??= ReadPoint(p.Value);
                    break;
                case "gridId" when p.Value.ValueKind == JsonValueKind.String:
                    grid = p.Value.GetString();
                    break;
                case "communityId" when p.Value.ValueKind == JsonValueKind.String:
                    community = p.Value.GetString();
                    break;
                case "streetId" when p.Value.ValueKind == JsonValueKind.String:
                    street = p.Value.GetString();
                    break;
            }
        }

        return new ItemPlace(position, grid, community, street);
    }

    private static GeoPoint? ReadPoint(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() >= 2 &&
            value[0].ValueKind == JsonValueKind.Number && value[1].ValueKind == JsonValueKind.Number &&
            value[0].TryGetDouble(out double lon) && value[1].TryGetDouble(out double lat))
        {
            return new GeoPoint(lon, lat);
        }

        if (value.ValueKind == JsonValueKind.Object &&
            value.TryGetProperty("lon", out JsonElement lonValue) && lonValue.ValueKind == JsonValueKind.Number && lonValue.TryGetDouble(out lon) &&
            value.TryGetProperty("lat", out JsonElement latValue) && latValue.ValueKind == JsonValueKind.Number && latValue.TryGetDouble(out lat))
        {
            return new GeoPoint(lon, lat);
        }

        return null;
    }
}
