using System.Text.Json;

namespace CityTwin.Scenarios.District;

/// <summary>
/// Writes and reads a <see cref="District"/> as one UTF-8 JSON document, streamed rather than buffered.
/// Reading checks the document against the model and throws <see cref="DistrictFileException"/> naming the problem.
/// </summary>
public static class DistrictFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>Writes <paramref name="district"/> to <paramref name="path"/>, replacing it only once fully written.</summary>
    public static void Write(District district, string path)
    {
        ArgumentNullException.ThrowIfNull(district);
        string temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize))
            {
                Write(district, stream);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="district"/> to <paramref name="path"/> asynchronously, replacing it only once fully written.</summary>
    public static async Task WriteAsync(District district, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(district);
        string temp = TempPathFor(path);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                await JsonSerializer.SerializeAsync(stream, district, DistrictJson.Options, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="district"/> as JSON to <paramref name="stream"/>.</summary>
    public static void Write(District district, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(district);
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, district, DistrictJson.Options);
    }

    /// <summary>Reads and checks a district file.</summary>
    public static District Read(string path)
    {
        using var stream = OpenRead(path, useAsync: false);
        return Read(stream, path);
    }

    /// <summary>Reads and checks a district file asynchronously.</summary>
    public static async Task<District> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using FileStream stream = OpenRead(path, useAsync: true);
        District? district;
        try
        {
            district = await JsonSerializer.DeserializeAsync<District>(stream, DistrictJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw Malformed(path, ex);
        }

        return Check(district, path);
    }

    /// <summary>Reads and checks a district from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static District Read(Stream stream, string sourceName = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        District? district;
        try
        {
            district = JsonSerializer.Deserialize<District>(stream, DistrictJson.Options);
        }
        catch (JsonException ex)
        {
            throw Malformed(sourceName, ex);
        }

        return Check(district, sourceName);
    }

    private static FileStream OpenRead(string path, bool useAsync)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DistrictFileException($"District file '{path}' does not exist.", ex);
        }
    }

    private static string TempPathFor(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return path + ".tmp";
    }

    private static DistrictFileException Malformed(string source, JsonException ex)
    {
        // JsonException carries the JSON path and position; put them first so the message reads on one line.
        string where = ex.Path is null ? "" : $" at {ex.Path}";
        string position = ex.LineNumber is long line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
        return new DistrictFileException($"District file '{source}' is malformed{where}{position}: {ex.Message}", ex);
    }

    private static District Check(District? district, string source)
    {
        if (district is null)
        {
            throw new DistrictFileException($"District file '{source}' holds JSON null instead of a district object.");
        }

        string? problem = DistrictConsistency.FindProblem(district);
        if (problem is not null)
        {
            throw new DistrictFileException($"District file '{source}' is inconsistent: {problem}.");
        }

        return district;
    }
}
