// An MSBuild task (compiled inline by RoslynCodeTaskFactory, see lib/Mlm.Workbook/Mlm.Workbook.csproj) that puts a
// build's files in place of files a running program may have loaded: the notebooks' bin/current (loaded by a
// Polyglot kernel) and the workbook kernel's own copy of the library in lib/Mlm.Workbook.Cli/bin/kernel.
// MSBuild's Copy writes into the loaded file: on Windows that fails (MSB3027, the file is locked), on Linux it
// truncates a file the running program has mapped. Written by hand because no MSBuild task replaces by rename.
// The tests compile this file too (with MLM_TESTS defined, so without the MSBuild part).
using System;
using System.IO;
using System.Linq;

#if !MLM_TESTS
public class ReplaceFiles : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] SourceFiles { get; set; } = [];

    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] DestinationFiles { get; set; } = [];

    public override bool Execute()
    {
        for (var i = 0; i < SourceFiles.Length; i++)
        {
            var source = SourceFiles[i].ItemSpec;
            var destination = DestinationFiles[i].ItemSpec;
            try
            {
                var outcome = FileReplacement.Replace(source, destination, FileReplacement.Move);
                if (outcome != FileReplacement.Outcome.Unchanged)
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"{outcome}: {source} -> {destination}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.LogError($"Could not replace {destination} with {source}: {e.Message} Close the program that uses it (a notebook kernel) and build again.");
            }
        }
        return !Log.HasLoggedErrors;
    }
}
#endif

/// <summary>Replaces a file by renaming a copy over it, or, where the old file is locked, by first renaming it aside.</summary>
public static class FileReplacement
{
    /// <summary>What happened to the destination.</summary>
    public enum Outcome { Unchanged, Replaced, MovedAside }

    /// <summary>The folder, beside the destination, where locked files are moved aside.</summary>
    public const string AsideFolder = ".replaced";

    /// <summary>Renames a file, over an existing one when <paramref name="overwrite"/> (File.Move's overload for that is not in netstandard2.0, which inline tasks compile against).</summary>
    public static void Move(string from, string to, bool overwrite)
    {
        if (overwrite && File.Exists(to)) File.Replace(from, to, null, ignoreMetadataErrors: true);
        else File.Move(from, to);
    }

    /// <summary>
    /// Puts <paramref name="source"/> at <paramref name="destination"/>. A copy is written beside the destination and
    /// renamed over it (one step: a program that has the old file open keeps reading the old one). Where that rename
    /// fails because the old file is in use (Windows keeps a loaded DLL locked but lets it be renamed), the old file is
    /// renamed into <see cref="AsideFolder"/> first. Files moved aside earlier that are no longer in use are deleted.
    /// </summary>
    /// <param name="source">The new file.</param>
    /// <param name="destination">Where it goes.</param>
    /// <param name="move">Renames a file (a parameter so that Windows' locking can be tested elsewhere).</param>
    public static Outcome Replace(string source, string destination, Action<string, string, bool> move)
    {
        var sourceInfo = new FileInfo(source);
        var destinationInfo = new FileInfo(destination);
        if (destinationInfo.Exists && destinationInfo.Length == sourceInfo.Length && destinationInfo.LastWriteTimeUtc == sourceInfo.LastWriteTimeUtc)
            return Outcome.Unchanged;
        var folder = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(folder);
        var aside = Path.Combine(folder, AsideFolder);
        DeleteUnused(aside);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");
        File.Copy(source, temporary);
        File.SetLastWriteTimeUtc(temporary, sourceInfo.LastWriteTimeUtc);
        try
        {
            try
            {
                move(temporary, destination, true);
                return Outcome.Replaced;
            }
            catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && File.Exists(destination))
            {
                Directory.CreateDirectory(aside);
                move(destination, Path.Combine(aside, $"{Path.GetFileName(destination)}.{DateTime.UtcNow.Ticks}.old"), false);
                move(temporary, destination, false);
                return Outcome.MovedAside;
            }
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static void DeleteUnused(string aside)
    {
        if (!Directory.Exists(aside)) return;
        foreach (var old in Directory.EnumerateFiles(aside).ToList())
        {
            try
            {
                File.Delete(old);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Still loaded by a running kernel; the next build tries again.
            }
        }
    }
}
