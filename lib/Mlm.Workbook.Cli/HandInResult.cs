using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mlm.Workbook.Notebooks;
using Mlm.Workbook.Notebooks.Course;

namespace Mlm.Workbook.Cli;

/// <summary>
/// The result file a <c>grade-one</c> process leaves in its stage, and how <c>grade</c> reads it. The file is written
/// by the process that ran the hand-in's code, so it is data from that hand-in and nothing more: it is read with a size
/// limit, every field is checked, it can only speak of the course's exercises, and the rows it yields always carry the
/// folder the grader staged, never one the file names.
/// </summary>
internal static class HandInResult
{
    /// <summary>The most bytes a result file may hold; thirteen rows fit in a few kilobytes.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The longest message kept from a row.</summary>
    public const int MaxMessage = 2_000;

    private static readonly HashSet<string> Statuses = new(StringComparer.Ordinal) { "passed", "failed", "not-attempted" };

    /// <summary><c>{"rows": [{"id", "notebook", "passed", "status", "message"}, …]}</c>.</summary>
    public static string Serialize(IReadOnlyList<GradeRow> rows) => JsonSerializer.Serialize(new
    {
        rows = rows.Select(r => new { id = r.Id, notebook = r.Notebook, passed = r.Passed, status = r.Status, message = r.Message }),
    });

    /// <summary>
    /// The rows of one folder from its result file: one per exercise of the course, in course order; an exercise the
    /// file does not speak of is failed with <paramref name="missing"/>.
    /// </summary>
    /// <exception cref="FormatException">The file is not a result: too large, not JSON, or not of the shape above.</exception>
    public static IReadOnlyList<GradeRow> Read(string path, string folder)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Attributes.HasFlag(FileAttributes.ReparsePoint)) throw new FormatException("the grading process left no result");
        if (info.Length > MaxBytes) throw new FormatException($"its result is {info.Length:N0} bytes, more than the {MaxBytes:N0} a result may hold");
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            bytes = new byte[Math.Min(stream.Length, MaxBytes + 1L)];
            stream.ReadExactly(bytes);
        }
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"its result is not JSON ({e.Message})");
        }
        if (document?["rows"] is not JsonArray array) throw new FormatException("its result holds no rows");

        var found = new Dictionary<string, GradeRow>(StringComparer.Ordinal);
        foreach (var node in array)
        {
            if (node is not JsonObject row) throw new FormatException("a row of its result is not an object");
            var id = Text(row, "id");
            var exercise = Exercise.All.FirstOrDefault(e => e.Id == id) ?? throw new FormatException($"its result names an exercise the course does not have");
            if (found.ContainsKey(id)) throw new FormatException($"its result names exercise {id} twice");
            var notebook = Text(row, "notebook");
            if (notebook != exercise.Notebook) throw new FormatException($"its result puts exercise {id} in a notebook it is not in");
            var status = Text(row, "status");
            if (!Statuses.Contains(status)) throw new FormatException($"its result gives exercise {id} a status grading does not know");
            if (row["passed"] is not JsonValue passedValue || !passedValue.TryGetValue<bool>(out var passed) || passed != (status == "passed"))
                throw new FormatException($"its result says passed and status differently for exercise {id}");
            found[id] = new GradeRow(folder, id, exercise.Notebook, passed, status, Clean(Text(row, "message")));
        }
        return Exercise.All.Select(e => found.GetValueOrDefault(e.Id)
            ?? new GradeRow(folder, e.Id, e.Notebook, false, "failed", "grading gave no result for this exercise")).ToList();
    }

    /// <summary>Every exercise of a folder failed for one reason, when its grading gave no result to read.</summary>
    public static IReadOnlyList<GradeRow> Failed(string folder, string reason) =>
        Exercise.All.Select(e => new GradeRow(folder, e.Id, e.Notebook, false, "failed", $"grading this folder failed: {reason}")).ToList();

    private static string Text(JsonObject row, string name) =>
        row[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw new FormatException($"a row of its result has no text {name}");

    /// <summary>One line, without control characters (a terminal would act on them), at most <see cref="MaxMessage"/> characters.</summary>
    private static string Clean(string message)
    {
        var text = new StringBuilder(Math.Min(message.Length, MaxMessage));
        foreach (var c in message)
        {
            if (text.Length == MaxMessage) return text.Append('…').ToString();
            text.Append(char.IsControl(c) ? ' ' : c);
        }
        return text.ToString();
    }
}
