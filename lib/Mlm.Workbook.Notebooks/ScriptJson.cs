using System.Text;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// JSON written inside an HTML <c>&lt;script&gt;</c> element: <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> and the line
/// separators U+2028 and U+2029 are written as <c>\uXXXX</c> escapes, so that no string in the data (a chart label
/// holding <c>&lt;/script&gt;</c>, say) can end the element or start markup. The text still parses to the same value.
/// </summary>
internal static class ScriptJson
{
    /// <summary>The value as JSON that is safe between <c>&lt;script&gt;</c> and <c>&lt;/script&gt;</c>.</summary>
    public static string Embed(JsonNode? value)
    {
        // Escaped here rather than left to the serializer's encoder, so that the guarantee does not rest on its defaults.
        var json = value?.ToJsonString() ?? "null";
        var safe = new StringBuilder(json.Length);
        foreach (var c in json)
            safe.Append(c switch
            {
                '<' => "\\u003c",
                '>' => "\\u003e",
                '&' => "\\u0026",
                '\u2028' => "\\u2028",
                '\u2029' => "\\u2029",
                _ => c.ToString(),
            });
        return safe.ToString();
    }
}
