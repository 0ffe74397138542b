using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>Reading and writing single attribute values, with errors that name the attribute.</summary>
internal static class ItemValues
{
    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(decimal value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static string RequiredString(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        OptionalString(item, name) ?? throw new FormatException($"The item has no string attribute \"{name}\".");

    public static string? OptionalString(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    public static decimal RequiredDecimal(IReadOnlyDictionary<string, AttributeValue> item, string name)
    {
        if (item.TryGetValue(name, out var value) && value.N is { } number
            && decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var result))
            return result;
        throw new FormatException($"The item has no number attribute \"{name}\".");
    }
}
