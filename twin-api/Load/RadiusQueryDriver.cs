using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CityTwin.Scenarios.District;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Issues GET /api/entities?type=sensor&amp;near=…&amp;radius=… at a fixed rate around random sensor positions while the
/// telemetry runs, as an operations map would. Open-loop: query i is due at i / rate; latency is per request, send to
/// last byte. Requests go out from dedicated threads with synchronous sends, so the figure is the server's answer time
/// and not time spent waiting for a thread-pool thread in this (busy, telemetry-sending) client process.
/// </summary>
/// <param name="client">Client of the server under test.</param>
/// <param name="urls">Requests, used in turn.</param>
/// <param name="radiusM">Radius of the queries (reported only).</param>
/// <param name="senders">Threads, and so requests in flight: 256 covers 1,000 q/s at up to ~250 ms each. A slower server shows as queries behind schedule.</param>
public sealed class RadiusQueryDriver(HttpClient client, IReadOnlyList<string> urls, double radiusM, int senders = 256)
{
    private readonly LatencyRecorder _latency = new();
    private long _next;
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
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        long started = Stopwatch.GetTimestamp();
        double ticksPerQuery = Stopwatch.Frequency / rate;
        var done = new TaskCompletionSource[senders];
        for (int i = 0; i < senders; i++)
        {
            var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done[i] = exited;
            new Thread(() =>
            {
                try
                {
                    Send(started, ticksPerQuery, cancellationToken);
                }
                finally
                {
                    exited.SetResult();
                }
            })
            { IsBackground = true, Name = $"radius-query-{i}" }.Start();
        }

        await Task.WhenAll(done.Select(d => d.Task));
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

    /// <summary>One sender thread: takes the next query, sleeps until it is due, sends it and waits for the answer.</summary>
    private void Send(long started, double ticksPerQuery, CancellationToken cancellationToken)
    {
        // Each thread reads answers into its own buffer: a fresh ~42 KB buffer per answer made the client collect
        // garbage often enough for its pauses to show in the latencies it measures.
        byte[] buffer = new byte[64 * 1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            long issued = Interlocked.Increment(ref _next) - 1;
            long due = started + (long)(issued * ticksPerQuery);
            long early = due - Stopwatch.GetTimestamp();
            if (early > 0)
            {
                // Sleeping rather than spinning: the client shares the machine's cores with the server it measures.
                if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromTicks(early * TimeSpan.TicksPerSecond / Stopwatch.Frequency)))
                {
                    return;
                }
            }
            else if (-early > ticksPerQuery)
            {
                // Every sender was busy when this query fell due.
                Interlocked.Increment(ref _behind);
            }

            Query(urls[(int)(issued % urls.Count)], issued % 50 == 0, ref buffer);
        }
    }

    private void Query(string url, bool sample, ref byte[] buffer)
    {
        try
        {
            Interlocked.Increment(ref _sent);
            long start = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using HttpResponseMessage response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
            int length = ReadAll(response.Content.ReadAsStream(), ref buffer);
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
                Interlocked.Add(ref _sampledFeatures, NumberMatched(buffer.AsSpan(0, length)));
                Interlocked.Increment(ref _sampledQueries);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or IOException)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, $"{e.GetType().Name}: {e.Message}", null);
        }
    }

    /// <summary>Reads <paramref name="body"/> to its end into <paramref name="buffer"/>, growing it when full; returns the length.</summary>
    private static int ReadAll(Stream body, ref byte[] buffer)
    {
        using (body)
        {
            int length = 0, read;
            while ((read = body.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }

            return length;
        }
    }

    private static long NumberMatched(ReadOnlySpan<byte> body)
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
