using System.Text;

namespace Mlm.Workbook;

/// <summary>
/// Writes a file all at once or not at all: the content goes to a temporary file in the same folder, which is then
/// renamed over the target. A rename within a folder replaces the target in one step, so a process killed mid-save
/// leaves either the old file or the new one, never a truncated one (at worst a stray <c>.*.tmp</c> file beside it).
/// </summary>
public static class AtomicFile
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes text as UTF-8 without a byte order mark, as <see cref="File.WriteAllText(string, string)"/> does.</summary>
    /// <param name="path">The file to write; its folder is created if missing.</param>
    /// <param name="contents">The whole text.</param>
    public static void WriteAllText(string path, string contents) => Write(path, stream => stream.Write(Utf8.GetBytes(contents)));

    /// <summary>Writes bytes.</summary>
    /// <param name="path">The file to write; its folder is created if missing.</param>
    /// <param name="bytes">The whole content.</param>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Writes whatever <paramref name="write"/> puts into the stream; if it throws, the target is left as it was.</summary>
    /// <param name="path">The file to write; its folder is created if missing.</param>
    /// <param name="write">Writes the whole content.</param>
    public static void Write(string path, Action<Stream> write)
    {
        if (write is null) throw new ArgumentNullException(nameof(write));
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        // Same folder, so the rename never crosses file systems; a leading dot keeps it out of the runner's NN-*.ipynb.
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true); // on disk before the rename makes it the file
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
