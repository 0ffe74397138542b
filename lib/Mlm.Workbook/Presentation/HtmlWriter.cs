using System.Net;
using System.Text;

namespace Mlm.Workbook.Presentation;

/// <summary>
/// A small HTML writer that encodes by default: text and attribute values are always HTML-encoded (a line break in
/// text becomes <c>&lt;br&gt;</c>); only element and attribute names, which come from code, are written as given.
/// </summary>
public sealed class HtmlWriter
{
    private readonly StringBuilder _html = new();
    private readonly Stack<string> _open = new();

    /// <summary>Opens an element; attributes are name/value pairs, values encoded.</summary>
    public HtmlWriter Open(string tag, params (string Name, string Value)[] attributes)
    {
        _html.Append('<').Append(tag);
        foreach (var (name, value) in attributes) _html.Append(' ').Append(name).Append("=\"").Append(WebUtility.HtmlEncode(value)).Append('"');
        _html.Append('>');
        _open.Push(tag);
        return this;
    }

    /// <summary>Closes the innermost open element.</summary>
    public HtmlWriter Close()
    {
        _html.Append("</").Append(_open.Pop()).Append('>');
        return this;
    }

    /// <summary>Writes text, encoded.</summary>
    public HtmlWriter Text(string text)
    {
        _html.Append(Encode(text));
        return this;
    }

    /// <summary>An element holding only text: <c>&lt;th&gt;text&lt;/th&gt;</c>.</summary>
    public HtmlWriter Element(string tag, string text, params (string Name, string Value)[] attributes) => Open(tag, attributes).Text(text).Close();

    /// <summary>Text encoded for HTML, line breaks as <c>&lt;br&gt;</c>.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text).Replace("\n", "<br>");

    /// <summary>The HTML written; every element must be closed.</summary>
    public override string ToString() =>
        _open.Count == 0 ? _html.ToString() : throw new InvalidOperationException($"<{_open.Peek()}> is still open.");
}
