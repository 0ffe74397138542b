using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// A data set to seed, as seeding sees it: its items (generated on demand, as often as needed), what identifies it,
/// and how to say it in words.
/// </summary>
/// <param name="Identity">Equal for equal data sets: the options that generate it, or a hash of its items.</param>
/// <param name="Description">The data set in words, for messages: <c>seed 42, date 2025-02-20, 80 members, 20 sales</c>.</param>
/// <param name="Items">Makes the items; called once per pass.</param>
internal sealed record SeedDataSet(string Identity, string Description, Func<IEnumerable<Dictionary<string, AttributeValue>>> Items)
{
    public static SeedDataSet From(FakeDataOptions options, int dateShards)
    {
        var defaults = new FakeDataOptions();
        var description = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"seed {options.Seed}, date {options.Today:yyyy-MM-dd}, {options.Members} members, {options.Sales} sales"));
        if (options.Sellers != defaults.Sellers) description.Append(CultureInfo.InvariantCulture, $", {options.Sellers} sellers");
        if (options.Recruiters != defaults.Recruiters) description.Append(CultureInfo.InvariantCulture, $", {options.Recruiters} recruiters");
        if (dateShards != 1) description.Append(CultureInfo.InvariantCulture, $", {dateShards} date shards");
        var identity = string.Create(CultureInfo.InvariantCulture,
            $"fake;{options.Seed};{options.Today:yyyyMMdd};{options.Members};{options.Sales};{options.Sellers};{options.Recruiters};{dateShards}");
        return new SeedDataSet(identity, description.ToString(), () => FakeData.Items(options, dateShards));
    }

    public static SeedDataSet From(RealisticDataOptions options) =>
        new(string.Create(CultureInfo.InvariantCulture, $"realistic;{options.Seed};{options.Today:yyyyMMdd};{options.Members};{options.Months}"),
            RealisticData.Describe(options), () => RealisticData.Generate(options).Items());

    public static SeedDataSet From(SeedData data, int dateShards)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var item in data.Items(dateShards))
            hash.AppendData(Encoding.UTF8.GetBytes(ItemComparison.Canonical(item) + "\n"));
        var fingerprint = Convert.ToHexString(hash.GetHashAndReset()).Substring(0, 16).ToLowerInvariant();
        return new SeedDataSet($"items;{fingerprint}",
            string.Create(CultureInfo.InvariantCulture, $"{data.Members.Count} members, {data.Sales.Count} sales (fingerprint {fingerprint})"),
            () => data.Items(dateShards));
    }
}

/// <summary>Comparing items attribute by attribute, for seeding's checks.</summary>
internal static class ItemComparison
{
    /// <summary>An item as one line, attributes in name order.</summary>
    public static string Canonical(IReadOnlyDictionary<string, AttributeValue> item) =>
        string.Join(";", item.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={Text(a.Value)}"));

    /// <summary>The first difference between an item in the table and the one a data set would write, or null when equal.</summary>
    public static string? Difference(IReadOnlyDictionary<string, AttributeValue> present, IReadOnlyDictionary<string, AttributeValue> expected)
    {
        foreach (var name in present.Keys.Union(expected.Keys).Order(StringComparer.Ordinal))
        {
            var have = present.TryGetValue(name, out var p) ? Text(p) : null;
            var want = expected.TryGetValue(name, out var e) ? Text(e) : null;
            if (have != want && !SameNumber(p, e))
                return $"{name} is {Quote(have)} in the table and {Quote(want)} in this data set";
        }
        return null;
    }

    // DynamoDB stores numbers without trailing zeros: 38.90 comes back as 38.9.
    private static bool SameNumber(AttributeValue? a, AttributeValue? b) =>
        a?.N is { } x && b?.N is { } y
        && decimal.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var dx)
        && decimal.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out var dy) && dx == dy;

    private static string Quote(string? value) => value is null ? "missing" : $"\"{Keys.Shorten(value)}\"";

    private static string Text(AttributeValue value) =>
        value.S ?? value.N ?? (value.BOOL is { } b ? (b ? "true" : "false") : value.NULL == true ? "null" : "(other)");
}
