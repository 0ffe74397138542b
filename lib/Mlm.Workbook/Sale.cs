using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// A sale recorded by a member: item <c>pk=USER#004</c>, <c>sk=SALE#001</c>.
/// </summary>
/// <param name="Id">The sale number, unique across the table: 1 is <c>SALE#001</c>.</param>
/// <param name="MemberId">The seller's id: <c>"004"</c>.</param>
/// <param name="Date">The day of the sale.</param>
/// <param name="Amount">The amount, with two decimal places.</param>
/// <param name="Item">What was sold.</param>
/// <param name="CreatedAt">When it was recorded, ISO 8601 in UTC (<c>2025-02-07T14:03:11.000000Z</c>).</param>
/// <param name="IdDigits">How many digits the sale ids of its data set are written with; see <see cref="Keys.IdDigitsFor"/>.</param>
/// <param name="Line">The product, unit price and quantity, on sales of the realistic data set; null on the exercise's sales.</param>
public sealed record Sale(int Id, string MemberId, DateOnly Date, decimal Amount, string Item, string CreatedAt, int IdDigits = Keys.MinIdDigits,
    SaleLine? Line = null)
{
    /// <summary>The partition key: the seller's <c>USER#004</c>, so a member's sales sit with the profile.</summary>
    public string PartitionKey => Keys.User(MemberId);

    /// <summary>The sort key, <c>SALE#001</c>.</summary>
    public string SortKey => Keys.Sale(Id, IdDigits);

    /// <summary>The sale date key, <c>DATE#20250219</c>.</summary>
    public string SaleDateKey => Keys.Date(Date);

    /// <summary>The sale reference, <c>USER#004#SALE#001</c>.</summary>
    public string SaleReference => Keys.SaleReference(MemberId, Id, IdDigits);

    /// <summary>The write shard of this sale when a day is spread over <paramref name="shards"/> keys: its id modulo the count.</summary>
    public int Shard(int shards) => shards < 1 ? throw new ArgumentOutOfRangeException(nameof(shards), shards, "At least one shard.") : Id % shards;

    /// <summary>The item as stored; the amount is a number rounded to two places.</summary>
    /// <param name="dateShards">
    /// 1 (the exercise's way) stores <c>sale_date = DATE#20250219</c>; more spreads each day over that many keys,
    /// <c>DATE#20250219#0</c> to <c>#n-1</c>, chosen by <see cref="Shard"/>.
    /// </param>
    public Dictionary<string, AttributeValue> ToItem(int dateShards = 1)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.PartitionKey] = ItemValues.S(PartitionKey),
            [Keys.SortKey] = ItemValues.S(SortKey),
            [Attributes.SaleDate] = ItemValues.S(dateShards == 1 ? SaleDateKey : Keys.ShardedDate(Date, Shard(dateShards))),
            [Attributes.SaleReference] = ItemValues.S(SaleReference),
            [Attributes.Amount] = ItemValues.N(decimal.Round(Amount, 2, MidpointRounding.AwayFromZero)),
            [Attributes.Item] = ItemValues.S(Item),
            [Attributes.CreatedAt] = ItemValues.S(CreatedAt),
        };
        if (Line is not null)
        {
            item[Attributes.ProductId] = ItemValues.S(Line.ProductId);
            item[Attributes.Category] = ItemValues.S(Line.Category);
            item[Attributes.UnitPrice] = ItemValues.N(decimal.Round(Line.UnitPrice, 2, MidpointRounding.AwayFromZero));
            item[Attributes.Quantity] = ItemValues.N(Line.Quantity);
        }
        return item;
    }

    /// <summary>Reads a sale from its item.</summary>
    /// <exception cref="FormatException">The item is not a sale.</exception>
    public static Sale FromItem(IReadOnlyDictionary<string, AttributeValue> item)
    {
        if (!IsSale(item)) throw new FormatException("The item is not a sale (sk does not start with SALE#).");
        var sortKey = ItemValues.RequiredString(item, Keys.SortKey);
        var id = sortKey.Substring(Keys.SalePrefix.Length);
        return new Sale(
            int.Parse(id, System.Globalization.CultureInfo.InvariantCulture),
            Keys.MemberIdOf(ItemValues.RequiredString(item, Keys.PartitionKey)),
            Keys.DateOf(ItemValues.RequiredString(item, Attributes.SaleDate)),
            ItemValues.RequiredDecimal(item, Attributes.Amount),
            ItemValues.RequiredString(item, Attributes.Item),
            ItemValues.RequiredString(item, Attributes.CreatedAt),
            Math.Max(Keys.MinIdDigits, id.Length),
            ItemValues.OptionalString(item, Attributes.ProductId) is { } productId
                ? new SaleLine(productId, ItemValues.RequiredString(item, Attributes.Category),
                    ItemValues.RequiredDecimal(item, Attributes.UnitPrice), (int)ItemValues.RequiredDecimal(item, Attributes.Quantity))
                : null);
    }

    /// <summary>Whether an item is a sale.</summary>
    public static bool IsSale(IReadOnlyDictionary<string, AttributeValue> item) =>
        ItemValues.OptionalString(item, Keys.SortKey)?.StartsWith(Keys.SalePrefix, StringComparison.Ordinal) == true;
}

/// <summary>What a sale of the realistic data set sold: a product of the catalogue, at its unit price, so many units.</summary>
/// <param name="ProductId">The product's id in the catalogue, <c>P07</c>.</param>
/// <param name="Category">The product's category.</param>
/// <param name="UnitPrice">The price of one unit, two decimal places.</param>
/// <param name="Quantity">How many units; the sale's amount is <c>UnitPrice × Quantity</c>.</param>
public sealed record SaleLine(string ProductId, string Category, decimal UnitPrice, int Quantity);
