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

    /// <summary>The mime type VS Code and JupyterLab draw plotly charts from, with no network.</summary>
    public const string PlotlyMime = "application/vnd.plotly.v1+json";

    /// <summary>
    /// Resets the formatter to the kernel's defaults, as a fresh kernel starts, with the DataFrame table that the
    /// Microsoft.Data.Analysis kernel extension registers in Polyglot. Charts and views get formatters only when
    /// a notebook registers them, and a registration never carries over from one notebook to the next.
    /// </summary>
    public static void ResetToKernelDefaults()
    {
        Formatter.ResetToDefault();
        Formatter.Register<DataFrame>(frame => FrameHtml(frame), HtmlMime);
        Formatter.Register<DataFrame>(frame => FrameText(frame), PlainMime);
        Formatter.SetPreferredMimeTypesFor(typeof(DataFrame), HtmlMime, PlainMime);
    }

    internal const string HtmlMime = "text/html";
    internal const string PlainMime = "text/plain";

    /// <summary>The mime bundle of a value, formatted as the kernel formats it.</summary>
    /// <param name="value">What to show.</param>
    /// <param name="mimeTypes">The mime types asked for; by default the formatter's preferred ones.</param>
    public static JsonObject Data(object? value, IReadOnlyCollection<string>? mimeTypes = null)
    {
        return Bundle(value, FormattedValue.CreateManyFromObject(value!, mimeTypes?.ToArray() ?? []));
    }

    /// <summary>
    /// A mime bundle from the formatter's output, completed so that every front end can show it: text/plain always,
    /// and a chart the notebook formats as HTML also as plotly JSON, which VS Code draws without a network.
    /// </summary>
    internal static JsonObject Bundle(object? value, IReadOnlyList<FormattedValue> formatted)
    {
        var data = new JsonObject();
        foreach (var item in formatted) data[item.MimeType] = item.MimeType.EndsWith("json", StringComparison.Ordinal) ? JsonNode.Parse(item.Value) : item.Value;
        if (!data.ContainsKey(PlainMime)) data[PlainMime] = value is null ? "<null>" : value.ToDisplayString(PlainMime);
        // Only where the notebook registered the chart formatter (its HTML draws the chart), as the real kernel would show it.
        if (value is PlotlyChart chart && data[HtmlMime] is JsonValue html && html.GetValue<string>().Contains(Charts.ChartClass, StringComparison.Ordinal)
            && !data.ContainsKey(PlotlyMime))
            data[PlotlyMime] = JsonNode.Parse(Charts.ToPlotlyJson(chart));
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

/// <summary>The outputs of one cell as nbformat JSON, in the order they were produced; updates replace in place.</summary>
internal sealed class CellOutputs(int executionCount) : ICellOutputSink
{
    /// <summary>
    /// The most text one cell keeps, in console streams and in any one output: a notebook holding more could not be written
    /// back (a JSON string tops out near 166 MB) and no front end would show it. What is beyond is dropped with a note.
    /// </summary>
    public const int MaxChars = 5_000_000;

    private readonly List<JsonObject> _outputs = [];
    private readonly Dictionary<string, JsonObject> _displays = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private long _streamed;

    public IReadOnlyList<JsonObject> Snapshot()
    {
        lock (_gate) return _outputs.Select(o => (JsonObject)o.DeepClone()).ToList();
    }

    /// <summary>Adds console text, joining it to the previous output when that is the same stream; past <see cref="MaxChars"/>, drops it with a note.</summary>
    public void Stream(string name, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_streamed > MaxChars) return; // cut already, note and all
            var room = MaxChars - _streamed;
            _streamed += text.Length;
            if (text.Length > room)
                text = text.Substring(0, (int)room) + $"\n… output cut: this cell wrote more than {MaxChars.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters; the rest was dropped.\n";
            if (_outputs.Count > 0 && _outputs[^1]["output_type"]?.GetValue<string>() == "stream" && _outputs[^1]["name"]?.GetValue<string>() == name)
                _outputs[^1]["text"] = _outputs[^1]["text"]!.GetValue<string>() + text;
            else
                _outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text });
        }
    }

    /// <summary>An output's data, or a note in its place when its text is larger than <see cref="MaxChars"/>.</summary>
    private static JsonObject Bounded(JsonObject data)
    {
        var size = data.Sum(entry => entry.Value is JsonValue value && value.TryGetValue<string>(out var text) ? (long)text.Length : entry.Value?.ToJsonString().Length ?? 0);
        return size <= MaxChars ? data
            : new JsonObject { ["text/plain"] = $"… output left out: its {size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters are more than a cell keeps ({MaxChars.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)})." };
    }

    public void Display(string displayId, JsonObject data)
    {
        lock (_gate)
        {
            var output = new JsonObject { ["output_type"] = "display_data", ["data"] = Bounded(data), ["metadata"] = new JsonObject() };
            _outputs.Add(output);
            _displays[displayId] = output;
        }
    }

    /// <summary>Replaces a display of this cell; like nbclient, ignores an id this cell never displayed.</summary>
    public void UpdateDisplay(string displayId, JsonObject data)
    {
        lock (_gate)
            if (_displays.TryGetValue(displayId, out var output)) output["data"] = Bounded(data);
    }

    public void Result(JsonObject data)
    {
        lock (_gate)
            _outputs.Add(new JsonObject
            {
                ["output_type"] = "execute_result", ["execution_count"] = executionCount, ["data"] = Bounded(data), ["metadata"] = new JsonObject(),
            });
    }

    public void Error(string name, string value, IReadOnlyList<string> traceback)
    {
        lock (_gate)
            _outputs.Add(new JsonObject
            {
                ["output_type"] = "error", ["ename"] = name, ["evalue"] = value,
                ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode)JsonValue.Create(line)!).ToArray()),
            });
    }
}
