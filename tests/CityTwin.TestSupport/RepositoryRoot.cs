using System.Runtime.CompilerServices;

namespace CityTwin.TestSupport;

/// <summary>
/// Finds the repository root (the directory holding CityTwin.sln), so tests can read files such as
/// docker-compose.yml whatever the build output location is.
/// </summary>
public static class RepositoryRoot
{
    /// <summary>The file that marks the repository root.</summary>
    public const string MarkerFile = "CityTwin.sln";

    private static readonly Lazy<string> _path = new(() => Locate());

    /// <summary>The absolute path of the repository root.</summary>
    public static string Path => _path.Value;

    /// <summary>The absolute path of a file or directory given relative to the repository root.</summary>
    public static string Combine(params string[] relativeParts) =>
        System.IO.Path.Combine([Path, .. relativeParts]);

    /// <summary>Walks up from <paramref name="start"/> to the first directory holding CityTwin.sln.</summary>
    public static string? FindFrom(string? start)
    {
        for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, MarkerFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    // The output directory is under the repository in a normal build, but not with --artifacts-path
    // elsewhere; then this source file's compile-time location still leads to the repository.
    private static string Locate([CallerFilePath] string sourceFile = "")
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("CITYTWIN_REPO_ROOT"),
            AppContext.BaseDirectory,
            Directory.GetCurrentDirectory(),
            System.IO.Path.GetDirectoryName(sourceFile),
        };
        foreach (var candidate in candidates)
        {
            if (FindFrom(candidate) is { } root)
            {
                return root;
            }
        }

        throw new InvalidOperationException(
            $"Could not find {MarkerFile} above {AppContext.BaseDirectory}, the current directory or {sourceFile}; " +
            "set CITYTWIN_REPO_ROOT to the repository root.");
    }
}
