namespace Mlm.Workbook.Notebooks.Course;

/// <summary>
/// The instructor's parts of a notebook, marked as nbgrader marks them but simpler: a cell tagged <c>solution</c> holds
/// its answer between a line <c>// BEGIN SOLUTION</c> and a line <c>// END SOLUTION</c>; its check is the next cell
/// tagged <c>check</c>; a cell tagged <c>instructor</c> is for instructors only.
/// </summary>
public static class SolutionRegions
{
    /// <summary>The line that opens a solution region.</summary>
    public const string Begin = "// BEGIN SOLUTION";

    /// <summary>The line that closes a solution region.</summary>
    public const string End = "// END SOLUTION";

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
    public static string Strip(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var kept = new List<string>();
        var inside = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed == Begin)
            {
                if (inside) throw new FormatException($"line {i + 1}: {Begin} inside another solution region.");
                inside = true;
                kept.Add(lines[i].Substring(0, lines[i].IndexOf('/')) + Placeholder);
            }
            else if (trimmed == End)
            {
                if (!inside) throw new FormatException($"line {i + 1}: {End} without {Begin}.");
                inside = false;
            }
            else if (!inside)
            {
                kept.Add(lines[i]);
            }
        }
        if (inside) throw new FormatException($"{Begin} is never closed by {End}.");
        return string.Join("\n", kept);
    }
}
