using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Json;
using CityTwin.Grains.Model;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The audit trail can be trusted: who acted is the caller's key (its configured name, or a digest-based name, never the
/// key itself), free text in <c>actor</c> is kept beside it and cannot replace it, and the event log holds every
/// transition with its outcome in the order the case applied them, so the first valid attempt in the log is the one
/// applied and replaying the logged requests rebuilds the same case.
/// </summary>
public sealed class CaseAuditTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    private const string Spoof = "system:auto-verify";

    [Fact]
    public async Task The_actor_is_the_key_and_free_text_cannot_replace_it()
    {
        string id = await ReportAsync();
        using HttpClient admin = server.CreateClient(TwinServerFixture.AdminKey);

        using HttpResponseMessage verified = await server.Client.PostAsJsonAsync($"api/cases/{id}/transitions", new { action = "verify", actor = Spoof });
        using HttpResponseMessage rejected = await admin.PostAsJsonAsync($"api/cases/{id}/transitions", new { action = "reject" });

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, rejected.StatusCode);
        JsonElement[] timeline = [.. (await server.Client.GetFromJsonAsync<JsonElement>($"api/cases/{id}")).GetProperty("timeline").EnumerateArray()];
        Assert.Equal(TwinServerFixture.OperatorName, timeline[0].GetProperty("actor").GetString());
        Assert.Equal(TwinServerFixture.OperatorName, timeline[1].GetProperty("actor").GetString());
        Assert.Equal(Spoof, timeline[1].GetProperty("details").GetProperty("statedActor").GetString());
        Assert.DoesNotContain(timeline, e => e.GetProperty("actor").GetString() == Spoof);

        // The refused attempt is logged with its outcome, under the admin key's name: its role and a digest, not the key.
        CaseTransitionLog[] log = await TransitionLogAsync(id);
        Assert.Equal(["ok", "conflict"], log.Select(e => e.Outcome));
        Assert.Matches("^admin-[0-9a-f]{8}$", log[1].Actor);
        Assert.DoesNotContain(TwinServerFixture.AdminKey, log[1].Actor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_twenty_concurrent_transitions_the_log_holds_each_in_the_order_applied_and_replaying_it_rebuilds_the_case()
    {
        EntitySummary responder = server.Directory.OfType(EntityType.Responder).OrderBy(r => r.Id, StringComparer.Ordinal).First();
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        using HttpClient admin = server.CreateClient(TwinServerFixture.AdminKey);
        HttpClient[] clients = [server.Client, planner, admin];
        string[] actions = ["verify", "reject", "dispatch", "close", "verify"];
        for (int round = 0; round < 10; round++)
        {
            string id = await ReportAsync();

            // Every round sends the same twenty requests; which one the case takes first is up to the race.
            HttpResponseMessage[] answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => clients[i % 3].PostAsJsonAsync($"api/cases/{id}/transitions", new
            {
                action = actions[i % actions.Length],
                actor = $"attempt-{i}",
                assignee = actions[i % actions.Length] == "dispatch" ? responder.Id : null,
            })));
            int okAnswers = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
            Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"round {round}: {(int)a.StatusCode}"));
            foreach (HttpResponseMessage a in answers)
            {
                a.Dispose();
            }

            CaseView original = (await server.Grains.GetGrain<ICaseGrain>(id).GetAsync())!;
            CaseTransitionLog[] log = await TransitionLogAsync(id);
            Assert.Equal(20, log.Length);
            CaseTransitionLog[] applied = [.. log.Where(e => e.Applied)];
            Assert.Equal(okAnswers, applied.Length);

            // The applied entries, in log order, are the timeline after the report: the first valid attempt is the one applied.
            CaseTimelineEntry[] steps = [.. original.Timeline.Skip(1)];
            Assert.Equal(steps.Select(s => (s.Action, s.Actor, (string?)s.Details?["statedActor"])), applied.Select(e => (e.Action, e.Actor, e.StatedActor)));
            Assert.Equal(steps.Select(s => s.Sequence), applied.Select(e => e.Sequence));
            Assert.Equal(original.Status, log[^1].Status);

            // Replaying the logged report and requests, in log order, on a new case gives the same outcomes and the same case.
            string copy = $"{id}-replay";
            ICaseGrain replay = server.Grains.GetGrain<ICaseGrain>(copy);
            await replay.ReportAsync(await ReportOfAsync(id));
            foreach (CaseTransitionLog entry in log)
            {
                CaseTransitionResult result = await replay.TransitionAsync(entry.ToRequest());
                Assert.Equal(entry.Outcome, JsonNamingPolicy.CamelCase.ConvertName(result.Outcome.ToString()));
            }

            CaseView rebuilt = (await replay.GetAsync())!;
            Assert.Equal(original.Status, rebuilt.Status);
            Assert.Equal(original.Assignee, rebuilt.Assignee);
            Assert.Equal(
                original.Timeline.Select(e => (e.Action, e.From, e.To, e.Actor, e.Note)),
                rebuilt.Timeline.Select(e => (e.Action, e.From, e.To, e.Actor, e.Note)));
        }
    }

    private async Task<string> ReportAsync()
    {
        EntitySummary building = server.Directory.OfType(EntityType.Building).OrderBy(b => b.Id, StringComparer.Ordinal).First();
        using HttpResponseMessage r = await server.Client.PostAsJsonAsync("api/cases", new
        {
            category = "road-damage",
            location = new { lon = building.Position.Lon, lat = building.Position.Lat },
            reporter = Spoof,
            contact = new { name = "Li Si", phone = "13900000000" },
        });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<CaseTransitionLog[]> TransitionLogAsync(string id)
    {
        var entries = new List<CaseTransitionLog>();
        await foreach (EventRecord e in Log.ReadAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, CaseTransitionLog.LogKind, id))
        {
            entries.Add(CaseTransitionLog.Read(e.Payload));
        }

        return [.. entries];
    }

    private async Task<CaseReport> ReportOfAsync(string id)
    {
        await foreach (EventRecord e in Log.ReadAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, CaseReportIngest.ReportKind, id))
        {
            return JsonSerializer.Deserialize<CaseReport>(e.Payload, TwinJson.Options)!;
        }

        throw new InvalidOperationException($"No logged report of {id}.");
    }

    private IEventLog Log => server.Services.GetRequiredService<IEventLog>();
}
