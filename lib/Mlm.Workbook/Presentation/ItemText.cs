using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook.Presentation;

/// <summary>Items of any shape as text: a table for a terminal and CSV for a spreadsheet, one column per attribute.</summary>
public static class ItemText
{
    /// <summary>The attributes the items hold: <c>pk</c> and <c>sk</c> first, then the others in name order.</summary>
    public static IReadOnlyList<string> Columns(IReadOnlyList<Dictionary<string, AttributeValue>> items)
    {
        var names = items.SelectMany(item => item.Keys).Distinct(StringComparer.Ordinal).ToList();
        return names.OrderBy(name => name == Keys.PartitionKey ? 0 : name == Keys.SortKey ? 1 : 2).ThenBy(name => name, StringComparer.Ordinal).ToList();
    }

    /// <summary>A value as text: a string or number as it is, a boolean <c>true</c>/<c>false</c>, sets and lists in brackets, maps in braces.</summary>
    public static string Text(AttributeValue value) => value switch
    {
        { S: { } s } => s,
        { N: { } n } => n,
        { BOOL: { } b } => b ? "true" : "false",
        { NULL: true } => "null",
        { SS: { Count: > 0 } ss } => "[" + string.Join(", ", ss) + "]",
        { NS: { Count: > 0 } ns } => "[" + string.Join(", ", ns) + "]",
        { L: { } list } => "[" + string.Join(", ", list.Select(Text)) + "]",
        { M: { } map } => "{" + string.Join(", ", map.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {Text(a.Value)}")) + "}",
        { B: { } bytes } => Convert.ToBase64String(bytes.ToArray()),
        _ => "",
    };

    /// <summary>
    /// A text table with a header line; a missing attribute is an empty cell, a line break shows as <c>⏎</c>, and a cell
    /// longer than <paramref name="maxWidth"/> characters is cut with <c>…</c>.
    /// </summary>
    public static string Table(IReadOnlyList<Dictionary<string, AttributeValue>> items, int maxWidth = 40)
    {
        var columns = Columns(items);
        string Cell(Dictionary<string, AttributeValue> item, string name)
        {
            var text = item.TryGetValue(name, out var value) ? Text(value).Replace("\r\n", "⏎").Replace('\n', '⏎') : "";
            return text.Length <= maxWidth ? text : text.Substring(0, maxWidth - 1) + "…";
        }
        var rows = items.Select(item => columns.Select(name => Cell(item, name)).ToList()).ToList();
        var widths = columns.Select((name, i) => Math.Max(name.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToList();
        var text = new StringBuilder();
        foreach (var line in rows.Prepend(columns.ToList()))
            text.AppendLine(string.Join("  ", line.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        return text.ToString();
    }

    /// <summary>The items as CSV (see <see cref="CsvText"/>): a header of attribute names, one line per item, numbers as stored.</summary>
    public static string Csv(IReadOnlyList<Dictionary<string, AttributeValue>> items)
    {
        var columns = Columns(items);
        return CsvText.Write(columns, items.Select(item => columns.Select(name =>
            item.TryGetValue(name, out var value) ? (Text(value), value.N is not null) : ("", false))));
    }
}
