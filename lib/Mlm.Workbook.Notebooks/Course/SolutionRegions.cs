namespace Mlm.Workbook.Notebooks.Course;

/// <summary>
/// The instructor's parts of a notebook, marked as nbgrader marks them but simpler: a cell tagged <c>solution</c> holds
/// its answer between a <see cref="Begin"/> line and an <see cref="End"/> line; its check is the next cell tagged
/// <c>check</c>; a cell tagged <c>instructor</c> is for instructors only, and so is a Markdown block between
/// <see cref="InstructorOnlyBegin"/> and <see cref="InstructorOnlyEnd"/>.
/// </summary>
public static class SolutionRegions
{
    // The markers are written in two parts: the student edition carries this file, and holds no marker line.

    /// <summary>The line that opens a solution region.</summary>
    public const string Begin = "// BEGIN" + " SOLUTION";

    /// <summary>The line that closes a solution region.</summary>
    public const string End = "// END" + " SOLUTION";

    /// <summary>The line that opens a block of a Markdown file for instructors only.</summary>
    public const string InstructorOnlyBegin = "<!-- instructor" + " only -->";

    /// <summary>The line that closes a block of a Markdown file for instructors only.</summary>
    public const string InstructorOnlyEnd = "<!-- /instructor" + " only -->";

    /// <summary>What a solution region becomes in the student edition: a comment, so the answer stays as declared (the "not attempted" placeholder).</summary>
    public const string Placeholder = "// Your code here: assign answer.";

    /// <summary>The tag of a cell holding a solution region.</summary>
    public const string SolutionTag = "solution";

    /// <summary>The tag of a cell that checks the answer above it.</summary>
    public const string CheckTag = "check";

    /// <summary>The tag of a cell for instructors only.</summary>
    public const string InstructorTag = "instructor";

    /// <summary>Whether a text holds a solution marker.</summary>
    public static bool HasMarkers(string source) =>
        source.Contains(Begin, StringComparison.Ordinal) || source.Contains(End, StringComparison.Ordinal);

    /// <summary>
    /// The source with each solution region (the marker lines included) replaced by <see cref="Placeholder"/>, indented
    /// as the opening marker was.
    /// </summary>
    /// <exception cref="FormatException">A region is not closed, or a closing line has no opening one.</exception>
    public static string Strip(string source) =>
        StripBlocks(source.Replace("\r\n", "\n"), Begin, End, "solution region", opening => opening.Substring(0, opening.IndexOf('/')) + Placeholder);

    /// <summary>A Markdown text without its instructor-only blocks (their marker lines included).</summary>
    /// <exception cref="FormatException">A block is not closed, or a closing line has no opening one.</exception>
    public static string StripInstructorOnly(string markdown) =>
        StripBlocks(markdown, InstructorOnlyBegin, InstructorOnlyEnd, "instructor-only block", _ => null);

    /// <summary>The lines outside blocks between a <paramref name="begin"/> line and an <paramref name="end"/> line; each block becomes what <paramref name="replacement"/> makes of its opening line, or nothing.</summary>
    private static string StripBlocks(string text, string begin, string end, string blockName, Func<string, string?> replacement)
    {
        var lines = text.Split('\n');
        var kept = new List<string>();
        var inside = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed == begin)
            {
                if (inside) throw new FormatException($"line {i + 1}: {begin} inside another {blockName}.");
                inside = true;
                if (replacement(lines[i]) is { } line) kept.Add(line);
            }
            else if (trimmed == end)
            {
                if (!inside) throw new FormatException($"line {i + 1}: {end} without {begin}.");
                inside = false;
            }
            else if (!inside)
            {
                kept.Add(lines[i]);
            }
        }
        if (inside) throw new FormatException($"{begin} is never closed by {end}.");
        return string.Join("\n", kept);
    }
}
