using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// One comparison of a condition as DynamoDB evaluates it: <c>sale_date = DATE#20250204</c>,
/// <c>sale_reference BETWEEN … AND …</c>, <c>begins_with(sk, SALE#)</c>, <c>pk IN [...]</c>. A part that is none of
/// these (an OR, a NOT, <c>contains</c>, …) has no attribute and keeps only its text.
/// </summary>
/// <param name="Attribute">The attribute compared, placeholders resolved; null for a part that was not understood.</param>
/// <param name="Operator"><c>=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;&gt;</c>, <c>BETWEEN</c>, <c>begins_with</c> or <c>IN</c>.</param>
/// <param name="Values">The values, placeholders resolved.</param>
/// <param name="Text">The part as written, with its values filled in, for hints.</param>
internal sealed record Comparison(string? Attribute, string Operator, IReadOnlyList<AttributeValue> Values, string Text)
{
    /// <summary>Whether <paramref name="value"/> satisfies the comparison (string and number values; others never do).</summary>
    public bool Matches(AttributeValue? value)
    {
        if (value is null || Attribute is null) return false;
        int Compare(AttributeValue other) => ItemOrder.Compare(value, other);
        return Operator switch
        {
            "=" => Compare(Values[0]) == 0,
            "IN" => Values.Any(v => Compare(v) == 0),
            "<>" => Compare(Values[0]) != 0,
            "<" => Compare(Values[0]) < 0,
            "<=" => Compare(Values[0]) <= 0,
            ">" => Compare(Values[0]) > 0,
            ">=" => Compare(Values[0]) >= 0,
            "BETWEEN" => Compare(Values[0]) >= 0 && Compare(Values[1]) <= 0,
            "begins_with" => value.S is { } s && Values[0].S is { } prefix && s.StartsWith(prefix, StringComparison.Ordinal),
            _ => false,
        };
    }
}

/// <summary>
/// A condition split into its AND-ed comparisons: a Query's key condition or filter, or a PartiQL statement's WHERE
/// clause. Only what a check needs is understood: comparisons joined by AND, with <c>:values</c>, <c>#names</c>,
/// PartiQL's <c>?</c> parameters and quoted literals; anything else stays one part with no attribute.
/// </summary>
internal static partial class Condition
{
    /// <summary>Splits a Query's expression, resolving <c>:value</c> and <c>#name</c> placeholders.</summary>
    public static IReadOnlyList<Comparison> Parse(string? expression, IReadOnlyDictionary<string, AttributeValue>? values, IReadOnlyDictionary<string, string>? names) =>
        Parse(expression, token => values is not null && values.TryGetValue(token, out var v) ? v : null, names);

    /// <summary>Splits a PartiQL WHERE clause, taking <c>?</c> parameters in order.</summary>
    public static IReadOnlyList<Comparison> ParsePartiQl(string? where, IReadOnlyList<AttributeValue>? parameters)
    {
        var next = 0;
        return Parse(where, token => token == "?" ? (parameters is not null && next < parameters.Count ? parameters[next++] : null) : null, null);
    }

    private static IReadOnlyList<Comparison> Parse(string? expression, Func<string, AttributeValue?> placeholder, IReadOnlyDictionary<string, string>? names)
    {
        var text = (expression ?? "").Trim();
        while (text.StartsWith('(') && text.EndsWith(')') && Balanced(text.Substring(1, text.Length - 2))) text = text.Substring(1, text.Length - 2).Trim();
        var parts = new List<Comparison>();
        var position = 0;
        while (position < text.Length)
        {
            var match = Part().Match(text, position);
            if (!match.Success || match.Index != position)
            {
                parts.Add(new Comparison(null, "?", [], text.Substring(position).Trim()));
                break;
            }
            AttributeValue? Value(string token)
            {
                if (token.StartsWith('\'')) return ItemValues.S(token.Substring(1, token.Length - 2).Replace("''", "'"));
                if (decimal.TryParse(token, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _))
                    return new AttributeValue { N = token };
                return placeholder(token);
            }
            var (attributeToken, op, tokens) =
                match.Groups["a1"].Success ? (match.Groups["a1"].Value, "begins_with", new[] { match.Groups["v1"].Value }) :
                match.Groups["a2"].Success ? (match.Groups["a2"].Value, "BETWEEN", new[] { match.Groups["lo"].Value, match.Groups["hi"].Value }) :
                match.Groups["a3"].Success ? (match.Groups["a3"].Value, "IN", match.Groups["in"].Captures.Select(c => c.Value).ToArray()) :
                (match.Groups["a4"].Value, match.Groups["op"].Value, new[] { match.Groups["v4"].Value });
            var attribute = Name(attributeToken, names);
            var resolved = tokens.Select(Value).ToList();
            var shown = match.Value.Trim();
            if (resolved.Any(v => v is null))
                parts.Add(new Comparison(null, "?", [], shown));
            else
                parts.Add(new Comparison(attribute, op, resolved!, Describe(attribute, op, resolved!)));
            position = match.Index + match.Length;
            var and = And().Match(text, position);
            if (and.Success && and.Index == position) position += and.Length;
            else if (position < text.Length)
            {
                parts.Add(new Comparison(null, "?", [], text.Substring(position).Trim()));
                break;
            }
        }
        return parts;
    }

    private static string Name(string token, IReadOnlyDictionary<string, string>? names)
    {
        if (token.StartsWith('"')) return token.Substring(1, token.Length - 2);
        if (token.StartsWith('#') && names is not null && names.TryGetValue(token, out var name)) return name;
        return token;
    }

    private static bool Balanced(string text)
    {
        var depth = 0;
        foreach (var c in text)
        {
            if (c == '(') depth++;
            else if (c == ')' && --depth < 0) return false;
        }
        return depth == 0;
    }

    /// <summary>A comparison as a person reads it, values shown as their strings.</summary>
    public static string Describe(string attribute, string op, IReadOnlyList<AttributeValue> values) => op switch
    {
        "BETWEEN" => $"{attribute} BETWEEN {Show(values[0])} AND {Show(values[1])}",
        "begins_with" => $"begins_with({attribute}, {Show(values[0])})",
        "IN" => $"{attribute} IN [{string.Join(", ", values.Select(Show))}]",
        _ => $"{attribute} {op} {Show(values[0])}",
    };

    /// <summary>A value as a hint shows it: a string in quotes, a number as it is.</summary>
    public static string Show(AttributeValue value) => value.S is { } s ? $"'{s}'" : value.N ?? "…";

    private const string Attr = @"(?:#\w+|""[^""]+""|[A-Za-z_][\w.]*)";
    private const string Val = @"(?::\w+|\?|'(?:[^']|'')*'|-?\d+(?:\.\d+)?)";

    [GeneratedRegex(
        @"\s*(?:begins_with\s*\(\s*(?<a1>" + Attr + @")\s*,\s*(?<v1>" + Val + @")\s*\)" +
        @"|(?<a2>" + Attr + @")\s+BETWEEN\s+(?<lo>" + Val + @")\s+AND\s+(?<hi>" + Val + @")" +
        @"|(?<a3>" + Attr + @")\s+IN\s*[\[(]\s*(?<in>" + Val + @")(?:\s*,\s*(?<in>" + Val + @"))*\s*[\])]" +
        @"|(?<a4>" + Attr + @")\s*(?<op><=|>=|<>|=|<|>)\s*(?<v4>" + Val + @"))\s*",
        RegexOptions.IgnoreCase)]
    private static partial Regex Part();

    [GeneratedRegex(@"AND\b\s*", RegexOptions.IgnoreCase)]
    private static partial Regex And();
}

/// <summary>How DynamoDB orders key values: strings by their UTF-8 bytes, numbers by value.</summary>
internal static class ItemOrder
{
    public static int Compare(AttributeValue left, AttributeValue right)
    {
        if (left.N is { } a && right.N is { } b)
            return decimal.Parse(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(decimal.Parse(b, System.Globalization.CultureInfo.InvariantCulture));
        return string.CompareOrdinal(left.S ?? left.N ?? "", right.S ?? right.N ?? "");
    }
}
