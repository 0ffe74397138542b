using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Mlm.Workbook.Presentation;
using XPlot.Plotly;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// Turns values into notebook output data, as the Polyglot kernel shows them: a DataFrame as a table shaped like
/// pandas' (header, row index, nulls visible, "R rows × C columns"), an XPlot chart as an interactive plot, and
/// anything else through Microsoft.DotNet.Interactive.Formatting, whose registrations a notebook may change.
/// </summary>
public static class OutputFormatter
{
    /// <summary>Frames longer than this show their first and last <see cref="EdgeRows"/> rows, as pandas does.</summary>
    public const int MaxRowsShown = 60;

    /// <summary>Rows shown at each end of a long frame.</summary>
    public const int EdgeRows = 5;

    private static int _registered;

    /// <summary>Registers the DataFrame and chart formatters once per process.</summary>
    public static void RegisterDefaults()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<DataFrame>(frame => FrameHtml(frame), HtmlMime);
        Formatter.Register<DataFrame>(frame => FrameText(frame), PlainMime);
        Formatter.Register<PlotlyChart>(chart => Charts.ToHtml(chart), HtmlMime);
        Formatter.Register<PlotlyChart>(_ => "PlotlyChart (interactive chart; open the notebook or the HTML report to see it)", PlainMime);
        Formatter.SetPreferredMimeTypesFor(typeof(DataFrame), HtmlMime, PlainMime);
        Formatter.SetPreferredMimeTypesFor(typeof(PlotlyChart), HtmlMime, PlainMime);
    }

    internal const string HtmlMime = "text/html";
    internal const string PlainMime = "text/plain";

    /// <summary>The output data of a value: mime type → text.</summary>
    /// <param name="value">What to show.</param>
    /// <param name="mimeTypes">The mime types asked for; by default HTML and plain text (plain text only for strings).</param>
    public static JsonObject Data(object? value, IReadOnlyCollection<string>? mimeTypes = null)
    {
        RegisterDefaults();
        var data = new JsonObject();
        if (mimeTypes is { Count: > 0 })
        {
            foreach (var mime in mimeTypes) data[mime] = value is string text && mime != PlainMime ? text : Formatter.ToDisplayString(value, mime);
            return data;
        }
        if (value is null or string or ValueType)
        {
            data[PlainMime] = value is null ? "<null>" : Formatter.ToDisplayString(value, PlainMime);
            return data;
        }
        data[HtmlMime] = Formatter.ToDisplayString(value, HtmlMime);
        data[PlainMime] = Formatter.ToDisplayString(value, PlainMime);
        return data;
    }

    /// <summary>A DataFrame as an HTML table.</summary>
    public static string FrameHtml(DataFrame frame)
    {
        var html = new StringBuilder();
        html.Append("<div class=\"dataframe-output\"><table class=\"dataframe\"><thead><tr><th></th>");
        foreach (var column in frame.Columns) html.Append("<th>").Append(Encode(column.Name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in RowsShown(frame.Rows.Count))
        {
            if (row is null)
            {
                html.Append("<tr class=\"ellipsis\"><th>…</th>");
                foreach (var _ in frame.Columns) html.Append("<td>…</td>");
                html.Append("</tr>");
                continue;
            }
            html.Append("<tr><th>").Append(row.Value).Append("</th>");
            foreach (var column in frame.Columns)
            {
                var value = column[row.Value];
                html.Append(value is null ? "<td class=\"null\"><em>null</em></td>" : $"<td>{Encode(Cell(value)).Replace("\n", "<br>")}</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table>")
            .Append($"<p class=\"dataframe-shape\">{frame.Rows.Count} rows × {frame.Columns.Count} columns</p></div>");
        return html.ToString();
    }

    /// <summary>A DataFrame as aligned plain text.</summary>
    public static string FrameText(DataFrame frame)
    {
        var rows = RowsShown(frame.Rows.Count).ToList();
        var table = new List<string[]> { new[] { "" }.Concat(frame.Columns.Select(c => c.Name)).ToArray() };
        foreach (var row in rows)
            table.Add(row is null
                ? Enumerable.Repeat("…", frame.Columns.Count + 1).ToArray()
                : new[] { row.Value.ToString() }.Concat(frame.Columns.Select(c => c[row.Value] is { } v ? Cell(v).Replace("\n", "\\n") : "null")).ToArray());
        var widths = Enumerable.Range(0, table[0].Length).Select(i => table.Max(r => Math.Min(r[i].Length, 40))).ToArray();
        var text = new StringBuilder();
        foreach (var row in table)
            text.AppendLine(string.Join("  ", row.Select((cell, i) => (cell.Length > 40 ? cell.Substring(0, 39) + "…" : cell).PadRight(widths[i]))).TrimEnd());
        text.Append($"\n{frame.Rows.Count} rows × {frame.Columns.Count} columns");
        return text.ToString();
    }

    private static IEnumerable<long?> RowsShown(long count)
    {
        if (count <= MaxRowsShown)
        {
            for (long i = 0; i < count; i++) yield return i;
            yield break;
        }
        for (long i = 0; i < EdgeRows; i++) yield return i;
        yield return null;
        for (var i = count - EdgeRows; i < count; i++) yield return i;
    }

    private static string Cell(object value) => value switch
    {
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>The outputs of one cell, in the order they were produced.</summary>
internal sealed class CellOutputs
{
    private readonly List<JsonObject> _outputs = [];
    private readonly object _gate = new();

    public IReadOnlyList<JsonObject> Snapshot()
    {
        lock (_gate) return _outputs.Select(o => (JsonObject)o.DeepClone()).ToList();
    }

    /// <summary>Adds console text, joining it to the previous output when that is the same stream.</summary>
    public void AppendStream(string name, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_outputs.Count > 0 && _outputs[^1]["output_type"]?.GetValue<string>() == "stream" && _outputs[^1]["name"]?.GetValue<string>() == name)
                _outputs[^1]["text"] = _outputs[^1]["text"]!.GetValue<string>() + text;
            else
                _outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text });
        }
    }

    /// <summary>Adds a display_data output and returns its index, so it can be updated in place.</summary>
    public int AddDisplay(JsonObject data)
    {
        lock (_gate)
        {
            _outputs.Add(new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() });
            return _outputs.Count - 1;
        }
    }

    public void UpdateDisplay(int index, JsonObject data)
    {
        lock (_gate) _outputs[index]["data"] = data;
    }

    public void AddResult(JsonObject data, int executionCount)
    {
        lock (_gate)
            _outputs.Add(new JsonObject
            {
                ["output_type"] = "execute_result", ["execution_count"] = executionCount, ["data"] = data, ["metadata"] = new JsonObject(),
            });
    }

    public void AddError(string name, string value, IEnumerable<string> traceback)
    {
        lock (_gate)
            _outputs.Add(new JsonObject
            {
                ["output_type"] = "error", ["ename"] = name, ["evalue"] = value,
                ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode)JsonValue.Create(line)!).ToArray()),
            });
    }
}

/// <summary>Console output of a cell, written straight into its outputs so it interleaves with displays.</summary>
internal sealed class CellConsoleWriter(Func<CellOutputs?> target, string streamName) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => target()?.AppendStream(streamName, value.ToString());

    public override void Write(string? value) => target()?.AppendStream(streamName, value ?? "");

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
}
