using System.Text;

namespace Mlm.Workbook.Presentation;

/// <summary>
/// CSV (RFC 4180: fields quoted where they hold a comma, a quote or a line break; lines end CRLF) that is safe to open in a
/// spreadsheet: a text field that a spreadsheet would take for a formula (it starts with <c>=</c>, <c>+</c>, <c>-</c>,
/// <c>@</c>, a tab or a carriage return) gets a leading <c>'</c>, so opening the file never runs what a value holds.
/// </summary>
public static class CsvText
{
    /// <summary>One field, defused and quoted as needed.</summary>
    /// <param name="value">The text.</param>
    /// <param name="number">True for a number written by the program itself (<c>-12.50</c>), which is left as it is.</param>
    public static string Field(string value, bool number = false) => Quote(number ? value : Defuse(value));

    /// <summary>One line of text fields, without its line end.</summary>
    public static string Line(IEnumerable<string> fields) => string.Join(",", fields.Select(field => Field(field)));

    /// <summary>A whole file: the header, then one line per row; each line ends CRLF.</summary>
    /// <param name="header">The column names.</param>
    /// <param name="rows">The rows, each a field per column, with whether the field is a number.</param>
    public static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<(string Value, bool Number)>> rows)
    {
        var text = new StringBuilder(Line(header)).Append("\r\n");
        foreach (var row in rows)
            text.Append(string.Join(",", row.Select(field => Field(field.Value, field.Number)))).Append("\r\n");
        return text.ToString();
    }

    private static string Defuse(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
