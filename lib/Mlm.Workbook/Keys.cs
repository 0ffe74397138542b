using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// Every key template of the table, in one place. Ids are numbers written with a fixed number of digits, so that
/// keys sort in number order: three, as the exercise does, up to 999 (member 4 is <c>USER#004</c>, sale 1 is
/// <c>SALE#001</c>), and as many as the largest id needs beyond that (<see cref="IdDigitsFor"/>): in a data set of
/// 8,000 members, member 4 is <c>USER#0004</c>, and <c>USER#1000</c> sorts after <c>USER#0999</c>.
/// </summary>
public static class Keys
{
    /// <summary>Partition key attribute of the table.</summary>
    public const string PartitionKey = "pk";

    /// <summary>Sort key attribute of the table.</summary>
    public const string SortKey = "sk";

    /// <summary>Sort key of a member's profile item.</summary>
    public const string Profile = "PROFILE";

    /// <summary>Prefix of member partition keys.</summary>
    public const string UserPrefix = "USER#";

    /// <summary>Prefix of sale sort keys.</summary>
    public const string SalePrefix = "SALE#";

    /// <summary>Prefix of sale dates.</summary>
    public const string DatePrefix = "DATE#";

    /// <summary>Sort key of the marker items that keep emails and phones unique.</summary>
    public const string Unique = "UNIQUE";

    /// <summary>
    /// Partition key of the marker item that reserves an email: <c>EMAIL#ana@example.com</c>, lower-cased
    /// because email addresses are compared without regard to case.
    /// </summary>
    public static string EmailMarker(string email) => "EMAIL#" + Inputs.Email(email).ToLowerInvariant();

    /// <summary>Partition key of the marker item that reserves a phone number: <c>PHONE#555-0100</c>.</summary>
    public static string PhoneMarker(string phone) => "PHONE#" + Inputs.Phone(phone);

    /// <summary>The longest id accepted: nine digits keep every key short and numeric.</summary>
    public const int MaxIdDigits = 9;

    /// <summary>The fewest digits an id is written with, as the exercise writes them: <c>004</c>.</summary>
    public const int MinIdDigits = 3;

    /// <summary>
    /// How many digits the ids of a set of <paramref name="count"/> ids (1 to <paramref name="count"/>) are written with:
    /// three up to 999, and the width of the largest id beyond that. Every id of the set then has the same width, so
    /// comparing keys character by character, as DynamoDB sorts strings, is comparing the numbers.
    /// </summary>
    public static int IdDigitsFor(int count) =>
        Math.Max(MinIdDigits, Math.Max(count, 1).ToString(CultureInfo.InvariantCulture).Length);

    /// <summary>Writes a numeric id the way keys carry it, with three digits: <c>4 → "004"</c>.</summary>
    public static string Id(int id) => Id(id, MinIdDigits);

    /// <summary>Writes a numeric id the way keys carry it: <c>4 → "004"</c>, or <c>"0004"</c> with <paramref name="digits"/> 4.</summary>
    /// <param name="id">The id, from 1.</param>
    /// <param name="digits">The width of every id of its set (<see cref="IdDigitsFor"/>); at least three.</param>
    public static string Id(int id, int digits)
    {
        if (id < 1) throw new ArgumentOutOfRangeException(nameof(id), id, "Ids start at 1.");
        if (digits is < MinIdDigits or > MaxIdDigits) throw new ArgumentOutOfRangeException(nameof(digits), digits, $"Ids have {MinIdDigits} to {MaxIdDigits} digits.");
        return id.ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Normalises an id typed by a person: <c>"4"</c>, <c>"004"</c> and <c>" 004 "</c> all become <c>"004"</c>; an id typed
    /// with more than three digits keeps its width (<c>"0004"</c> stays <c>"0004"</c>, as a data set of 1,000 members or more
    /// writes it). Anything but a positive number of at most <see cref="MaxIdDigits"/> digits is refused.
    /// </summary>
    public static string Id(string id)
    {
        if (string.IsNullOrWhiteSpace(id))
            throw new ArgumentException("An id is required, for example \"001\".", nameof(id));
        var trimmed = id.Trim();
        if (trimmed.Length > MaxIdDigits || !trimmed.All(c => c is >= '0' and <= '9'))
            throw new ArgumentException($"An id is a number of at most {MaxIdDigits} digits, for example \"001\"; got \"{Shorten(id)}\".", nameof(id));
        var value = int.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value < 1) throw new ArgumentException($"Ids start at 1; got \"{id}\".", nameof(id));
        return Id(value, Math.Max(MinIdDigits, trimmed.Length));
    }

    /// <summary>Partition key of a member: <c>USER#004</c>.</summary>
    public static string User(string memberId) => UserPrefix + Id(memberId);

    /// <inheritdoc cref="User(string)"/>
    public static string User(int memberId) => UserPrefix + Id(memberId);

    /// <summary>Sort key of a sale: <c>SALE#001</c>.</summary>
    /// <param name="saleId">The sale number.</param>
    /// <param name="digits">The width of the sale ids of its data set; see <see cref="IdDigitsFor"/>.</param>
    public static string Sale(int saleId, int digits = MinIdDigits) => SalePrefix + Id(saleId, digits);

    /// <summary>Sale date as the date index stores it: <c>DATE#20250219</c>.</summary>
    public static string Date(DateOnly date) => DatePrefix + date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Sale reference, the sort key of both sale indexes: <c>USER#004#SALE#001</c>.
    /// It starts with the seller's key, so <c>begins_with(USER#004#)</c> finds one member's sales.
    /// </summary>
    public static string SaleReference(string memberId, int saleId, int saleDigits = MinIdDigits) => User(memberId) + "#" + Sale(saleId, saleDigits);

    /// <summary>The prefix every sale reference of one member starts with: <c>USER#004#SALE#</c>.</summary>
    public static string SaleReferencePrefix(string memberId) => User(memberId) + "#" + SalePrefix;

    /// <summary>The member id inside a partition key: <c>USER#004 → "004"</c>.</summary>
    public static string MemberIdOf(string userKey)
    {
        if (userKey is null || !userKey.StartsWith(UserPrefix, StringComparison.Ordinal))
            throw new FormatException($"Not a member key: \"{userKey}\".");
        return userKey.Substring(UserPrefix.Length);
    }

    /// <summary>
    /// Sale date key with a write shard: <c>DATE#20250219#3</c>. Spreading one day's sales over several partition
    /// key values keeps a busy day from becoming one hot partition of the date index.
    /// </summary>
    public static string ShardedDate(DateOnly date, int shard) => Date(date) + "#" + shard.ToString(CultureInfo.InvariantCulture);

    /// <summary>The date inside a sale date key, sharded or not: <c>DATE#20250219 → 2025-02-19</c>, <c>DATE#20250219#3</c> too.</summary>
    public static DateOnly DateOf(string dateKey)
    {
        if (dateKey is null || !dateKey.StartsWith(DatePrefix, StringComparison.Ordinal) || dateKey.Length < DatePrefix.Length + 8
            || !DateOnly.TryParseExact(dateKey.Substring(DatePrefix.Length, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || (dateKey.Length > DatePrefix.Length + 8 && dateKey[DatePrefix.Length + 8] != '#'))
            throw new FormatException($"Not a sale date key: \"{dateKey}\".");
        return date;
    }

    /// <summary>Partition key of the item that guards a seed in progress against a concurrent seed of other data.</summary>
    public const string SeedGuard = "SEEDING";

    /// <summary>Sort key of the seed guard item.</summary>
    public const string SeedGuardSort = "IN_PROGRESS";

    /// <summary>The full key of a member's profile item: <c>pk=USER#004</c>, <c>sk=PROFILE</c>.</summary>
    public static Dictionary<string, AttributeValue> ProfileKey(string memberId) => ItemKey(User(memberId), Profile);

    /// <summary>The full key of a uniqueness marker item: <c>pk=EMAIL#…</c> or <c>PHONE#…</c>, <c>sk=UNIQUE</c>.</summary>
    public static Dictionary<string, AttributeValue> MarkerKey(string markerKey) => ItemKey(markerKey, Unique);

    /// <summary>
    /// The marker item that reserves an email or phone for a member. It holds no email or phone attribute,
    /// so it stays out of email-index and phone-index.
    /// </summary>
    public static Dictionary<string, AttributeValue> Marker(string markerKey, string memberId)
    {
        var item = MarkerKey(markerKey);
        item[Attributes.MemberKey] = ItemValues.S(User(memberId));
        return item;
    }

    /// <summary>The full key of the seed guard item.</summary>
    public static Dictionary<string, AttributeValue> SeedGuardKey() => ItemKey(SeedGuard, SeedGuardSort);

    /// <summary>A full key from its two parts.</summary>
    public static Dictionary<string, AttributeValue> ItemKey(string partitionKey, string sortKey) => new()
    {
        [PartitionKey] = ItemValues.S(partitionKey),
        [SortKey] = ItemValues.S(sortKey),
    };

    /// <summary>An item's key as one string, <c>pk|sk</c>: <c>USER#004|PROFILE</c>.</summary>
    public static string KeyText(IReadOnlyDictionary<string, AttributeValue> item) => $"{item[PartitionKey].S}|{item[SortKey].S}";

    /// <summary>Whether an item is one the workbook writes: a member, a sale, a uniqueness marker or the seed guard.</summary>
    public static bool IsWorkbookItem(IReadOnlyDictionary<string, AttributeValue> item)
    {
        var pk = item.TryGetValue(PartitionKey, out var p) ? p.S ?? "" : "";
        var sk = item.TryGetValue(SortKey, out var s) ? s.S ?? "" : "";
        return (pk.StartsWith(UserPrefix, StringComparison.Ordinal) && (sk == Profile || sk.StartsWith(SalePrefix, StringComparison.Ordinal)))
            || ((pk.StartsWith("EMAIL#", StringComparison.Ordinal) || pk.StartsWith("PHONE#", StringComparison.Ordinal)) && sk == Unique)
            || (pk == SeedGuard && sk == SeedGuardSort);
    }

    internal static string Shorten(string value) => value.Length <= 40 ? value : value.Substring(0, 40) + "…";
}
