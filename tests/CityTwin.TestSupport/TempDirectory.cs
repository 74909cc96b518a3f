using System.Globalization;

namespace CityTwin.TestSupport;

/// <summary>A new directory under the system temp directory, deleted with its contents on disposal.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the directory.</summary>
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "citytwin-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory's absolute path.</summary>
    public string Path { get; }

    /// <summary>The absolute path of <paramref name="relativePath"/> inside the directory.</summary>
    public string Combine(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    /// <summary>Deletes the directory; a file still held open elsewhere does not fail the test that owns it.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner: failing disposal would hide the test's own result.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
