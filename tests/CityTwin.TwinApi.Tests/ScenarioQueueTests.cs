using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Runs;
using CityTwin.TwinApi.Api;
using CityTwin.TwinApi.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CityTwin.TwinApi.Tests;

public sealed class ScenarioQueueTests(ScenarioQueueTests.Server server) : IClassFixture<ScenarioQueueTests.Server>
{
    private const string Run = """{"definition":{"kind":"event-chain","duration":"PT1H","timeline":[{"at":"PT1M","type":"note","text":"a"}]}}""";

    [Fact]
    public async Task A_full_run_queue_answers_429_with_retry_after()
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);

        // One slot, one place in the queue: the first run holds the slot (its fork waits), the second waits.
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(planner)).StatusCode);
        await server.Forking.Task.WaitAsync(TimeSpan.FromSeconds(30));
        HttpResponseMessage queued = await PostAsync(planner);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.Equal("queued", (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        HttpResponseMessage full = await PostAsync(planner);
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        Assert.Equal("application/problem+json", full.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(ScenarioEndpoints.QueueFullRetryAfterSeconds), full.Headers.RetryAfter?.Delta);
        Assert.Contains("Scenarios:MaxQueuedRuns", (await full.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        HttpResponseMessage replay = await planner.PostAsJsonAsync("api/scenarios/replays", new { from = DateTimeOffset.UtcNow.AddDays(-2), to = DateTimeOffset.UtcNow.AddDays(-1) });
        Assert.Equal(HttpStatusCode.TooManyRequests, replay.StatusCode);
        Assert.NotNull(replay.Headers.RetryAfter);
    }

    [Fact]
    public async Task Settings_out_of_range_stop_the_server_at_start_naming_the_setting()
    {
        var fixture = new ServerWith(["--Scenarios:MaxQueuedRuns", "-1"]);
        var e = await Assert.ThrowsAnyAsync<Exception>(fixture.InitializeAsync);
        Assert.Contains("Scenarios:MaxQueuedRuns is -1", e.Message, StringComparison.Ordinal);

        // The silo never ran, so stopping it complains; that is cleanup, not what this test is about.
        await Record.ExceptionAsync(fixture.DisposeAsync);
    }

    [Fact]
    public async Task A_graceful_stop_ends_while_a_run_ignores_its_cancellation()
    {
        // A run stuck in work that never looks at its token: the server must still stop, after Scenarios:StopTimeout.
        var stuck = new TaskCompletionSource<TwinFork>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fixture = new ServerWith(["--Scenarios:StopTimeout", "00:00:01"], (_, _) =>
        {
            entered.TrySetResult();
            return stuck.Task;
        });
        try
        {
            await fixture.InitializeAsync();
            using HttpClient planner = fixture.CreateClient(TwinServerFixture.PlannerKey);
            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(planner)).StatusCode);
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // Without the bounded wait the stop would await the stuck run forever.
            await fixture.DisposeAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        finally
        {
            stuck.TrySetCanceled();
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client) =>
        client.PostAsync("api/scenarios/runs", new StringContent(Run, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>The real server with one run slot and one place in the queue; forks wait until their run is cancelled.</summary>
    public sealed class Server : ServerWith
    {
        public Server()
            : this(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
        {
        }

        private Server(TaskCompletionSource forking)
            : base(["--Scenarios:MaxConcurrentRuns", "1", "--Scenarios:MaxQueuedRuns", "1"], async (_, ct) =>
            {
                forking.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            })
        {
            Forking = forking;
        }

        /// <summary>Completes when the first run starts forking.</summary>
        public TaskCompletionSource Forking { get; }
    }

    /// <summary>The real server with extra settings and, optionally, forks made by <c>fork</c> instead of forking the live twin.</summary>
    public class ServerWith(string[] args, Func<DateTimeOffset?, CancellationToken, Task<TwinFork>>? fork = null) : TwinServerFixture
    {
        /// <inheritdoc />
        protected override string[] ExtraArgs => args;

        /// <inheritdoc />
        protected override void Configure(WebApplicationBuilder builder)
        {
            if (fork is not null)
            {
                builder.Services.AddSingleton(sp => new ScenarioRunRegistry(
                    fork, recordedLog: sp.GetRequiredService<CityTwin.Silo.EventLog.IEventLog>(), options: sp.GetRequiredService<IOptions<ScenarioRunOptions>>().Value));
            }
        }
    }
}
