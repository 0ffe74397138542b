using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Mlm.Workbook.Capacity;

namespace Mlm.Workbook.Designs;

/// <summary>
/// A table of its own for the other key designs (notebook 13), beside the exercise's: the same <c>pk</c>/<c>sk</c> items,
/// with the extra attributes each design needs, and one global index per design, all projecting every attribute:
/// <list type="bullet">
/// <item><c>path-index</c> (<c>tree_root</c>, <c>ancestry_path</c>): members by ancestry path (<see cref="AncestryPaths"/>);</item>
/// <item><c>sales-by-date-index</c> (<c>sales_key</c>, <c>sale_date</c>): every sale under one key, sorted by day (<see cref="DateRanges"/>);</item>
/// <item><c>GSI1</c> (<c>GSI1PK</c>, <c>GSI1SK</c>): one overloaded index, members by email and sales by day (<see cref="OverloadedIndex"/>).</item>
/// </list>
/// Each member also has a totals item, <c>pk=USER#004</c>, <c>sk=TOTALS</c>, kept by <see cref="DownlineTotals"/>; it has no
/// index attribute, so adding to it writes the table alone.
/// </summary>
public sealed class DesignsTable
{
    /// <summary>The ancestry-path index.</summary>
    public const string PathIndex = "path-index";
    /// <summary>The index that keeps every sale under one key, sorted by date.</summary>
    public const string SalesByDateIndex = "sales-by-date-index";
    /// <summary>The overloaded index.</summary>
    public const string Gsi1 = "GSI1";

    /// <summary>On a member: the key of the organisation's root (<c>USER#001</c>); the partition key of <c>path-index</c>.</summary>
    public const string TreeRoot = "tree_root";
    /// <summary>On a member: the ids from the root down to the member, <c>001#004#017</c>; the sort key of <c>path-index</c> (<c>path</c> itself is a reserved word in expressions).</summary>
    public const string Path = "ancestry_path";
    /// <summary>On a sale: the one value every sale shares, <see cref="AllSales"/>; the partition key of <c>sales-by-date-index</c>.</summary>
    public const string SalesKey = "sales_key";
    /// <summary>The overloaded index's partition key attribute.</summary>
    public const string Gsi1Pk = "GSI1PK";
    /// <summary>The overloaded index's sort key attribute.</summary>
    public const string Gsi1Sk = "GSI1SK";

    /// <summary>The value of <see cref="SalesKey"/> on every sale.</summary>
    public const string AllSales = "SALES";

    private readonly PagedReader _reader;

    /// <summary>Wraps a client and the table's name (for example the workbook's table name + <c>_designs</c>).</summary>
    public DesignsTable(IAmazonDynamoDB client, string tableName)
    {
        Client = client ?? throw new ArgumentNullException(nameof(client));
        if (string.IsNullOrWhiteSpace(tableName)) throw new ArgumentException("A table name is required.", nameof(tableName));
        TableName = tableName;
        _reader = new PagedReader(client, tableName);
    }

    /// <summary>The DynamoDB client.</summary>
    public IAmazonDynamoDB Client { get; }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <summary>The table's indexes, as the cost rules see them.</summary>
    public IReadOnlyList<IndexShape> Indexes => IndexShape.Of(CreateRequest(TableName));

    /// <summary>The request that creates the table: on-demand, <c>pk</c>/<c>sk</c>, the three indexes.</summary>
    public static CreateTableRequest CreateRequest(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = new[] { Keys.PartitionKey, Keys.SortKey, TreeRoot, Path, SalesKey, Attributes.SaleDate, Gsi1Pk, Gsi1Sk }
            .Select(name => new AttributeDefinition { AttributeName = name, AttributeType = ScalarAttributeType.S }).ToList(),
        KeySchema = KeySchema(Keys.PartitionKey, Keys.SortKey),
        GlobalSecondaryIndexes = [Index(PathIndex, TreeRoot, Path), Index(SalesByDateIndex, SalesKey, Attributes.SaleDate), Index(Gsi1, Gsi1Pk, Gsi1Sk)],
    };

    /// <summary>
    /// Creates the table and waits until it and its indexes are active. A table of this design left by an earlier run is
    /// deleted first; a table of that name with other indexes is never deleted.
    /// </summary>
    /// <exception cref="InvalidOperationException">A table of that name exists with other indexes.</exception>
    public async Task CreateAsync(CancellationToken cancellationToken = default)
    {
        if (await TableDefinition.TryDescribeAsync(Client, TableName, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            var expected = CreateRequest(TableName).GlobalSecondaryIndexes.Select(index => index.IndexName).Order(StringComparer.Ordinal);
            var actual = (existing.GlobalSecondaryIndexes ?? []).Select(index => index.IndexName).Order(StringComparer.Ordinal);
            if (!expected.SequenceEqual(actual))
                throw new InvalidOperationException($"Table \"{TableName}\" exists and is not a designs table (its indexes: {string.Join(", ", actual)}); delete it or use another name.");
            await DeleteAsync(cancellationToken).ConfigureAwait(false);
        }
        await Resilience.CallAsync(Client, TableName, token => Client.CreateTableAsync(CreateRequest(TableName), token), cancellationToken).ConfigureAwait(false);
        await TableDefinition.WaitUntilActiveAsync(Client, TableName, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the table and waits until it is gone; a missing table is not an error.</summary>
    /// <returns>True when a table was deleted.</returns>
    public Task<bool> DeleteAsync(CancellationToken cancellationToken = default) =>
        TableDefinition.DeleteAsync(Client, TableName, cancellationToken: cancellationToken);

    /// <summary>
    /// A member's item here: the profile as the exercise stores it, plus its ancestry path (<c>tree_root</c>, <c>path</c>)
    /// and its overloaded-index keys (<c>GSI1PK = EMAIL#…</c>, <c>GSI1SK = USER#004</c>).
    /// </summary>
    /// <param name="member">The member.</param>
    /// <param name="ancestry">The member's ancestry, from <see cref="AncestryPaths.Of"/>.</param>
    public static Dictionary<string, AttributeValue> MemberItem(Member member, Ancestry ancestry)
    {
        if (member is null) throw new ArgumentNullException(nameof(member));
        if (ancestry is null) throw new ArgumentNullException(nameof(ancestry));
        var item = member.ToItem();
        item[TreeRoot] = ItemValues.S(Keys.User(ancestry.RootId));
        item[Path] = ItemValues.S(ancestry.Path);
        foreach (var (name, value) in OverloadedIndex.KeysOf(member)) item[name] = value;
        return item;
    }

    /// <summary>
    /// A sale's item here: the sale as the exercise stores it, plus <c>sales_key = SALES</c> (so that its <c>sale_date</c> is a
    /// sort key in <c>sales-by-date-index</c>) and its overloaded-index keys (<c>GSI1PK = DATE#…</c>, <c>GSI1SK = USER#004#SALE#001</c>).
    /// </summary>
    public static Dictionary<string, AttributeValue> SaleItem(Sale sale)
    {
        if (sale is null) throw new ArgumentNullException(nameof(sale));
        var item = sale.ToItem();
        item[SalesKey] = ItemValues.S(AllSales);
        foreach (var (name, value) in OverloadedIndex.KeysOf(sale)) item[name] = value;
        return item;
    }

    /// <summary>The kind of write in <see cref="LoadAsync"/>'s tally: a member's item, table and indexes.</summary>
    public const string MemberPuts = "put a member (table + indexes)";
    /// <summary>The kind of write in <see cref="LoadAsync"/>'s tally: one ADD to an ancestor's downline count.</summary>
    public const string CountAdds = "ADD downline_count, per ancestor";
    /// <summary>The kind of write in <see cref="LoadAsync"/>'s tally: a sale's item, table and indexes.</summary>
    public const string SalePuts = "put a sale (table + indexes)";
    /// <summary>The kind of write in <see cref="LoadAsync"/>'s tally: one ADD to an ancestor's downline revenue.</summary>
    public const string RevenueAdds = "ADD downline_revenue, per ancestor";

    /// <summary>
    /// Writes an organisation here as the app would: each member joins (<see cref="DownlineTotals.RegisterAsync"/>), then each
    /// sale is recorded (<see cref="DownlineTotals.RecordSaleAsync"/>), one request at a time, each measured.
    /// </summary>
    /// <returns>What the writes cost, by kind: <see cref="MemberPuts"/>, <see cref="CountAdds"/>, <see cref="SalePuts"/>, <see cref="RevenueAdds"/>.</returns>
    public async Task<WriteTally> LoadAsync(Organisation organisation, CancellationToken cancellationToken = default)
    {
        if (organisation is null) throw new ArgumentNullException(nameof(organisation));
        var tally = new WriteTally();
        foreach (var member in organisation.Members)
            Tally(tally, MemberPuts, CountAdds, await DownlineTotals.RegisterAsync(this, member, AncestryPaths.Of(organisation, member.Id), cancellationToken).ConfigureAwait(false));
        foreach (var sale in organisation.Sales)
            Tally(tally, SalePuts, RevenueAdds, await DownlineTotals.RecordSaleAsync(this, sale, AncestryPaths.Of(organisation, sale.MemberId), cancellationToken).ConfigureAwait(false));
        return tally;
    }

    private static void Tally(WriteTally tally, string put, string adds, IReadOnlyList<MeasuredWrite> writes)
    {
        tally.Add(put, writes[0]);
        foreach (var add in writes.Skip(1)) tally.Add(adds, add);
    }

    /// <summary>Puts an item, asking DynamoDB for the units of the table and each index; returns both figures.</summary>
    public async Task<MeasuredWrite> PutAsync(Dictionary<string, AttributeValue> item, CancellationToken cancellationToken = default)
    {
        if (item is null) throw new ArgumentNullException(nameof(item));
        var response = await Resilience.CallAsync(Client, TableName, token => Client.PutItemAsync(new PutItemRequest
        {
            TableName = TableName,
            Item = item,
            ReturnValues = ReturnValue.ALL_OLD,
            ReturnConsumedCapacity = ReturnConsumedCapacity.INDEXES,
        }, token), cancellationToken).ConfigureAwait(false);
        var previous = response.Attributes is { Count: > 0 } old ? old : null;
        return new MeasuredWrite(CapacityRules.PutCost(Indexes, item, previous, tableName: TableName), Reported(response.ConsumedCapacity));
    }

    internal Task<ReadResult> QueryAsync(string? indexName, string keyCondition, Dictionary<string, string> values, CancellationToken cancellationToken) =>
        _reader.QueryAsync(indexName, keyCondition, values, cancellationToken);

    internal Dictionary<string, double> Reported(ConsumedCapacity? capacity)
    {
        var reported = new Dictionary<string, double>(StringComparer.Ordinal);
        if (capacity is null) return reported;
        reported[TableName] = capacity.Table?.CapacityUnits ?? capacity.CapacityUnits ?? 0;
        foreach (var (name, units) in capacity.GlobalSecondaryIndexes ?? []) reported[name] = units.CapacityUnits ?? 0;
        return reported;
    }

    private static List<KeySchemaElement> KeySchema(string partitionKey, string sortKey) =>
    [
        new() { AttributeName = partitionKey, KeyType = KeyType.HASH },
        new() { AttributeName = sortKey, KeyType = KeyType.RANGE },
    ];

    private static GlobalSecondaryIndex Index(string name, string partitionKey, string sortKey) => new()
    {
        IndexName = name,
        KeySchema = KeySchema(partitionKey, sortKey),
        Projection = new Projection { ProjectionType = ProjectionType.ALL },
    };
}
