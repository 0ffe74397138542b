using System.Text;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook.Capacity;

/// <summary>
/// The size of an item as DynamoDB counts it for capacity: each attribute's name (UTF-8 bytes) plus its value.
/// Strings and binaries count their bytes; a number about one byte per two significant digits, plus one; a boolean or
/// null one byte; a list or map three bytes, plus its elements, plus one byte per element; a set the sum of its elements.
/// </summary>
public static class ItemSize
{
    /// <summary>The size in bytes of a whole item.</summary>
    public static int Of(IReadOnlyDictionary<string, AttributeValue> item)
    {
        if (item is null) throw new ArgumentNullException(nameof(item));
        return item.Sum(attribute => Of(attribute.Key, attribute.Value));
    }

    /// <summary>The size in bytes of only some of an item's attributes (those it has).</summary>
    public static int Of(IReadOnlyDictionary<string, AttributeValue> item, IEnumerable<string> attributeNames)
    {
        if (item is null) throw new ArgumentNullException(nameof(item));
        return attributeNames.Distinct(StringComparer.Ordinal).Sum(name => item.TryGetValue(name, out var value) ? Of(name, value) : 0);
    }

    /// <summary>The size in bytes of one attribute: its name and its value.</summary>
    public static int Of(string name, AttributeValue value) => Encoding.UTF8.GetByteCount(name) + ValueSize(value);

    /// <summary>The size in bytes of a value alone.</summary>
    public static int ValueSize(AttributeValue value)
    {
        if (value is null) throw new ArgumentNullException(nameof(value));
        if (value.S is { } text) return Encoding.UTF8.GetByteCount(text);
        if (value.N is { } number) return NumberSize(number);
        if (value.B is { } binary) return (int)binary.Length;
        if (value.BOOL is not null || value.NULL == true) return 1;
        if (value.SS is { Count: > 0 } strings) return strings.Sum(Encoding.UTF8.GetByteCount);
        if (value.NS is { Count: > 0 } numbers) return numbers.Sum(NumberSize);
        if (value.BS is { Count: > 0 } binaries) return binaries.Sum(b => (int)b.Length);
        if (value.L is { } list) return 3 + list.Sum(element => ValueSize(element) + 1);
        if (value.M is { } map) return 3 + map.Sum(entry => Of(entry.Key, entry.Value) + 1);
        return 0;
    }

    /// <summary>
    /// A number's size: one byte per two significant digits (leading and trailing zeros do not count), plus one.
    /// <c>12.34</c> has four significant digits: 3 bytes; <c>500</c> has one: 2 bytes.
    /// </summary>
    public static int NumberSize(string number)
    {
        if (number is null) throw new ArgumentNullException(nameof(number));
        var mantissa = number.Trim().TrimStart('-', '+');
        var exponent = mantissa.IndexOfAny(['e', 'E']);
        if (exponent >= 0) mantissa = mantissa.Substring(0, exponent);
        var digits = mantissa.Replace(".", "").TrimStart('0').TrimEnd('0');
        return (digits.Length + 1) / 2 + 1;
    }
}
