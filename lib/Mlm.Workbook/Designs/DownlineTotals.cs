using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Mlm.Workbook.Capacity;

namespace Mlm.Workbook.Designs;

/// <summary>A member's precomputed totals, and the GetItem that read them.</summary>
/// <param name="MemberId">The member.</param>
/// <param name="DownlineCount">Members below the member.</param>
/// <param name="DownlineRevenue">What the members below the member sold.</param>
/// <param name="Read">The GetItem (a member with nobody below has no totals item: zeros, still one request).</param>
public sealed record DownlineTotalsRead(string MemberId, long DownlineCount, decimal DownlineRevenue, ReadResult Read);

/// <summary>
/// Precomputed totals: each member has an item <c>pk=USER#004</c>, <c>sk=TOTALS</c> holding <c>downline_count</c> and
/// <c>downline_revenue</c>, kept current by <c>UpdateItem</c> with <c>ADD</c> on every ancestor as a member joins or a sale is
/// recorded. Reading a member's figures is then one GetItem; the work moves to write time, one update per ancestor.
/// The totals item has no index attribute, so an update writes the table alone.
/// </summary>
public static class DownlineTotals
{
    /// <summary>Sort key of a member's totals item.</summary>
    public const string Totals = "TOTALS";

    /// <summary>Members below a member.</summary>
    public const string DownlineCount = "downline_count";

    /// <summary>What the members below a member sold.</summary>
    public const string DownlineRevenue = "downline_revenue";

    /// <summary>The key of a member's totals item: <c>pk=USER#004</c>, <c>sk=TOTALS</c>.</summary>
    public static Dictionary<string, AttributeValue> Key(string memberId) => Keys.ItemKey(Keys.User(memberId), Totals);

    /// <summary>A member joins: their item is put, then <c>ADD downline_count 1</c> on each ancestor's totals.</summary>
    /// <returns>The put, then one update per ancestor, each with both figures.</returns>
    public static async Task<IReadOnlyList<MeasuredWrite>> RegisterAsync(DesignsTable table, Member member, Ancestry ancestry, CancellationToken cancellationToken = default)
    {
        if (table is null) throw new ArgumentNullException(nameof(table));
        var writes = new List<MeasuredWrite> { await table.PutAsync(DesignsTable.MemberItem(member, ancestry), cancellationToken).ConfigureAwait(false) };
        foreach (var ancestor in ancestry.Ancestors)
            writes.Add(await AddAsync(table, ancestor, DownlineCount, 1m, cancellationToken).ConfigureAwait(false));
        return writes;
    }

    /// <summary>A sale is recorded: its item is put, then <c>ADD downline_revenue amount</c> on each of the seller's ancestors.</summary>
    /// <returns>The put, then one update per ancestor, each with both figures.</returns>
    public static async Task<IReadOnlyList<MeasuredWrite>> RecordSaleAsync(DesignsTable table, Sale sale, Ancestry sellerAncestry, CancellationToken cancellationToken = default)
    {
        if (table is null) throw new ArgumentNullException(nameof(table));
        if (sale is null) throw new ArgumentNullException(nameof(sale));
        var writes = new List<MeasuredWrite> { await table.PutAsync(DesignsTable.SaleItem(sale), cancellationToken).ConfigureAwait(false) };
        foreach (var ancestor in sellerAncestry.Ancestors)
            writes.Add(await AddAsync(table, ancestor, DownlineRevenue, decimal.Round(sale.Amount, 2, MidpointRounding.AwayFromZero), cancellationToken).ConfigureAwait(false));
        return writes;
    }

    /// <summary>A member's totals: one GetItem.</summary>
    public static async Task<DownlineTotalsRead> GetAsync(DesignsTable table, string memberId, CancellationToken cancellationToken = default)
    {
        if (table is null) throw new ArgumentNullException(nameof(table));
        var key = Key(memberId);
        var read = await PagedReader.GetItemAsync(table.Client, table.TableName, key, cancellationToken).ConfigureAwait(false);
        var item = read.Items.FirstOrDefault();
        return new DownlineTotalsRead(Keys.Id(memberId), (long)Number(item, DownlineCount), Number(item, DownlineRevenue), read);
    }

    private static async Task<MeasuredWrite> AddAsync(DesignsTable table, string memberId, string attribute, decimal amount, CancellationToken cancellationToken)
    {
        var response = await Resilience.CallAsync(table.Client, table.TableName, token => table.Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table.TableName,
            Key = Key(memberId),
            UpdateExpression = "ADD #total :amount",
            ExpressionAttributeNames = new() { ["#total"] = attribute },
            ExpressionAttributeValues = new() { [":amount"] = ItemValues.N(amount) },
            ReturnValues = ReturnValue.ALL_NEW,
            ReturnConsumedCapacity = ReturnConsumedCapacity.INDEXES,
        }, token), cancellationToken).ConfigureAwait(false);
        var after = response.Attributes;
        var before = Before(after, attribute, amount);
        return new MeasuredWrite(CapacityRules.PutCost(table.Indexes, after, before, tableName: table.TableName), table.Reported(response.ConsumedCapacity));
    }

    // The item as it was before an ADD, rebuilt from the item after it: the total less the amount, or no such attribute
    // when the ADD created it, or no item at all when the ADD created the item. An update costs the larger of the two.
    private static Dictionary<string, AttributeValue>? Before(Dictionary<string, AttributeValue> after, string attribute, decimal amount)
    {
        var before = new Dictionary<string, AttributeValue>(after);
        var total = Number(after, attribute);
        if (total == amount) before.Remove(attribute);
        else before[attribute] = new AttributeValue { N = (total - amount).ToString(CultureInfo.InvariantCulture) };
        return before.Keys.All(name => name is Keys.PartitionKey or Keys.SortKey) ? null : before;
    }

    private static decimal Number(IReadOnlyDictionary<string, AttributeValue>? item, string attribute) =>
        item is not null && item.ContainsKey(attribute) ? ItemValues.RequiredDecimal(item, attribute) : 0m;
}
