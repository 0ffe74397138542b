using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mlm.Workbook.Presentation;

namespace Mlm.Workbook.Notebooks.Course;

/// <summary>Grades for people (a table), for a spreadsheet (CSV) and for programs (one JSON object).</summary>
public static class GradeReport
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A text table, one row per folder and exercise; the folder column only when there are several.</summary>
    public static string Table(IReadOnlyList<GradeRow> rows)
    {
        var folders = rows.Select(r => r.Folder).Distinct().Count() > 1;
        var header = new List<string>();
        if (folders) header.Add("Folder");
        header.AddRange(["Exercise", "Notebook", "Passed", "Message"]);
        var lines = rows.Select(r =>
        {
            var cells = new List<string>();
            if (folders) cells.Add(r.Folder);
            cells.AddRange([r.Id, r.Notebook, r.Passed ? "✔ yes" : r.Status == "not-attempted" ? "○ no" : "✘ no", r.Message]);
            return cells;
        }).ToList();
        var widths = Enumerable.Range(0, header.Count - 1).Select(i => Math.Max(header[i].Length, lines.Select(l => l[i].Length).DefaultIfEmpty(0).Max())).ToList();
        var text = new StringBuilder();
        foreach (var line in lines.Prepend(header))
            text.AppendLine(string.Join("  ", line.Select((cell, i) => i < widths.Count ? cell.PadRight(widths[i]) : cell)).TrimEnd());
        text.Append($"{rows.Count(r => r.Passed)} of {rows.Count} passed");
        return text.ToString();
    }

    /// <summary>
    /// CSV (RFC 4180) with a header: folder, exercise, notebook, passed, status, message. A field that a spreadsheet
    /// would take for a formula (it starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return) gets a
    /// leading <c>'</c>, so that opening the grades never runs what a hand-in's folder name or message holds.
    /// </summary>
    public static string Csv(IReadOnlyList<GradeRow> rows)
    {
        var text = new StringBuilder("folder,exercise,notebook,passed,status,message\r\n");
        foreach (var r in rows)
            text.Append(CsvText.Line([r.Folder, r.Id, r.Notebook, r.Passed ? "true" : "false", r.Status, r.Message])).Append("\r\n");
        return text.ToString();
    }

    /// <summary>One line of JSON: <c>{"results": [{"folder", "id", "notebook", "passed", "status", "message"}…], "passed": k, "total": n}</c>.</summary>
    public static string Json(IReadOnlyList<GradeRow> rows) => JsonSerializer.Serialize(new
    {
        results = rows.Select(r => new { folder = r.Folder, id = r.Id, notebook = r.Notebook, passed = r.Passed, status = r.Status, message = r.Message }),
        passed = rows.Count(r => r.Passed),
        total = rows.Count,
    }, JsonOptions);
}
