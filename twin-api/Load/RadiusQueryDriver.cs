using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CityTwin.Scenarios.District;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Issues GET /api/entities?type=sensor&amp;near=…&amp;radius=… at a fixed rate around random sensor positions while the
/// telemetry runs, as an operations map would. Open-loop up to a cap of requests in flight, so a slow server shows as
/// latency, not as a politely reduced rate; latency is per request, send to last byte.
/// </summary>
public sealed class RadiusQueryDriver(HttpClient client, IReadOnlyList<string> urls, double radiusM)
{
    private const int MaxInFlight = 512;
    private readonly LatencyRecorder _latency = new();
    private long _sent;
    private long _succeeded;
    private long _failed;
    private long _behind;
    private long _sampledQueries;
    private long _sampledFeatures;
    private string? _firstError;

    /// <summary>Query latencies.</summary>
    public LatencyRecorder Latency => _latency;

    /// <summary>Runs at <paramref name="rate"/> queries/s until <paramref name="cancellationToken"/> fires, then waits for answers.</summary>
    public async Task<QueryFigures> RunAsync(double rate, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(MaxInFlight, MaxInFlight);
        var pending = new List<Task>();
        long started = Stopwatch.GetTimestamp();
        long issued = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            long due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate) + 1;
            while (issued < due && !cancellationToken.IsCancellationRequested)
            {
                if (!slots.Wait(0))
                {
                    Interlocked.Increment(ref _behind);
                    try
                    {
                        await slots.WaitAsync(cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                pending.Add(QueryAsync(urls[(int)(issued % urls.Count)], issued % 50 == 0, slots));
                issued++;
            }

            pending.RemoveAll(t => t.IsCompleted);
            await Task.Delay(1, CancellationToken.None);
        }

        await Task.WhenAll(pending);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        long sampled = Interlocked.Read(ref _sampledQueries);
        return new QueryFigures(rate, radiusM, Interlocked.Read(ref _sent), Interlocked.Read(ref _succeeded), Interlocked.Read(ref _failed),
            Math.Round(Interlocked.Read(ref _succeeded) / elapsed.TotalSeconds, 1), _latency.Summarize(), Interlocked.Read(ref _behind),
            sampled == 0 ? 0 : Math.Round((double)Interlocked.Read(ref _sampledFeatures) / sampled, 1), Volatile.Read(ref _firstError));
    }

    /// <summary>Query URLs centred on <paramref name="count"/> random sensors of <paramref name="district"/> (seeded).</summary>
    public static string[] BuildUrls(District district, double radiusM, int seed, int count = 256)
    {
        var random = new Random(seed ^ 0x5eed);
        var urls = new string[count];
        for (int i = 0; i < count; i++)
        {
            Sensor s = district.Sensors[random.Next(district.Sensors.Length)];
            urls[i] = string.Create(CultureInfo.InvariantCulture, $"api/entities?type=sensor&near={s.Position.Lon:0.######},{s.Position.Lat:0.######}&radius={radiusM}");
        }

        return urls;
    }

    private async Task QueryAsync(string url, bool sample, SemaphoreSlim slots)
    {
        await Task.Yield();
        try
        {
            Interlocked.Increment(ref _sent);
            long start = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            _latency.RecordSince(start);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _firstError, $"HTTP {(int)response.StatusCode} for {url}", null);
                return;
            }

            Interlocked.Increment(ref _succeeded);
            if (sample)
            {
                // Only every 50th answer is read back: parsing every GeoJSON page would spend the server's cores on the client.
                Interlocked.Add(ref _sampledFeatures, NumberMatched(body));
                Interlocked.Increment(ref _sampledQueries);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, $"{e.GetType().Name}: {e.Message}", null);
        }
        finally
        {
            slots.Release();
        }
    }

    private static long NumberMatched(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("numberMatched"u8) && reader.Read())
            {
                return reader.GetInt64();
            }
        }

        return 0;
    }
}
