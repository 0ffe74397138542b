using System.Reflection;

namespace Mlm.Workbook;

/// <summary>
/// Tells a notebook when the library it loaded is older than the library's sources, so that a student who edited
/// the library and forgot to rebuild does not silently run old code.
/// </summary>
public static class LibraryBuild
{
    private static readonly string[] SourcePatterns = ["*.cs", "*.csproj"];

    /// <summary>The sources the library was built from, as recorded at build time; null when that folder is gone.</summary>
    public static string? SourceDirectory =>
        typeof(LibraryBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SourceDirectory")?.Value is { } directory && Directory.Exists(directory) ? directory : null;

    /// <summary>The newest source file that changed after the library was built, or null when the build is current.</summary>
    public static FileInfo? NewerSource()
    {
        var location = typeof(LibraryBuild).Assembly.Location;
        if (SourceDirectory is not { } directory || string.IsNullOrEmpty(location) || !File.Exists(location)) return null;
        var built = File.GetLastWriteTimeUtc(location);
        var skipped = new[] { Path.Combine(directory, "bin"), Path.Combine(directory, "obj") };
        return SourcePatterns
            .SelectMany(pattern => Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories))
            .Where(path => !skipped.Any(folder => path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .Select(path => new FileInfo(path))
            .Where(file => file.LastWriteTimeUtc > built)
            .MaxBy(file => file.LastWriteTimeUtc);
    }

    /// <summary>Throws when a library source changed after the library was built.</summary>
    /// <exception cref="InvalidOperationException">The library is stale: the message names the file and how to rebuild.</exception>
    public static void EnsureCurrent()
    {
        if (NewerSource() is not { } changed) return;
        throw new InvalidOperationException(
            $"The workbook library is older than its sources: {changed.Name} changed at {changed.LastWriteTime:yyyy-MM-dd HH:mm:ss}, " +
            $"after {Path.GetFileName(typeof(LibraryBuild).Assembly.Location)} was built. Run `dotnet build` at the repository root, " +
            "then restart the kernel and run the notebook again.");
    }
}
