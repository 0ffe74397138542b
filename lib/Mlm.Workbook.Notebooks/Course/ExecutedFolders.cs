namespace Mlm.Workbook.Notebooks.Course;

/// <summary>
/// The folder names under <c>grade --out DIR</c>: one per graded folder, numbered in grading order and named after the
/// part of its path that tells it from the others, so that <c>hand-ins/alice/notebooks</c> and
/// <c>hand-ins/bob/notebooks</c> become <c>01-alice-notebooks</c> and <c>02-bob-notebooks</c>, not two <c>notebooks</c>.
/// </summary>
public static class ExecutedFolders
{
    /// <summary>One name per folder, in the same order; the number keeps them apart even when two paths read alike.</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<string> folders)
    {
        var segments = folders.Select(Segments).ToList();
        // Leading segments every folder shares say nothing about whose it is; the last segment always stays.
        var shared = 0;
        while (segments.All(s => s.Count > shared + 1) && segments.Select(s => s[shared]).Distinct(StringComparer.Ordinal).Count() == 1) shared++;
        return segments.Select((s, i) => $"{i + 1:D2}-{string.Join("-", s.Skip(shared).Select(Safe))}").ToList();
    }

    private static List<string> Segments(string folder) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))
            .Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string Safe(string segment) =>
        string.Concat(segment.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
