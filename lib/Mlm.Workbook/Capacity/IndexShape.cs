using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook.Capacity;

/// <summary>
/// What an index holds of an item, which decides whether a write touches it and what that costs: its key attributes
/// and its projection (<c>ALL</c> every attribute, <c>KEYS_ONLY</c> the table's and the index's keys,
/// <c>INCLUDE</c> those and the attributes named).
/// </summary>
/// <param name="Name">The index name.</param>
/// <param name="IsLocal">True for a local secondary index.</param>
/// <param name="PartitionKey">The index's partition key attribute.</param>
/// <param name="SortKey">The index's sort key attribute, or null.</param>
/// <param name="Projection">ALL, KEYS_ONLY or INCLUDE.</param>
/// <param name="NonKeyAttributes">For INCLUDE, the attributes projected besides the keys.</param>
public sealed record IndexShape(string Name, bool IsLocal, string PartitionKey, string? SortKey, string Projection, IReadOnlyList<string> NonKeyAttributes)
{
    /// <summary>The index's key attributes.</summary>
    public IEnumerable<string> KeyAttributes => SortKey is null ? [PartitionKey] : [PartitionKey, SortKey];

    /// <summary>Whether an item is in the index: it has every key attribute of the index (a sparse index skips the rest).</summary>
    public bool Holds(IReadOnlyDictionary<string, AttributeValue>? item) => item is not null && KeyAttributes.All(item.ContainsKey);

    /// <summary>The size of the index entry an item becomes: the projected attributes, with the table's and the index's keys.</summary>
    public int EntrySize(IReadOnlyDictionary<string, AttributeValue> item)
    {
        if (Projection == ProjectionType.ALL.Value) return ItemSize.Of(item);
        var names = new[] { Keys.PartitionKey, Keys.SortKey }.Concat(KeyAttributes);
        if (Projection == ProjectionType.INCLUDE.Value) names = names.Concat(NonKeyAttributes);
        return ItemSize.Of(item, names);
    }

    /// <summary>The same index with another projection: <c>KEYS_ONLY</c>, or <c>INCLUDE</c> with the attributes named.</summary>
    public IndexShape WithProjection(string projection, params string[] nonKeyAttributes) =>
        this with { Projection = projection, NonKeyAttributes = nonKeyAttributes };

    /// <summary>The indexes a table definition creates, global ones first.</summary>
    public static IReadOnlyList<IndexShape> Of(CreateTableRequest table)
    {
        if (table is null) throw new ArgumentNullException(nameof(table));
        var global = (table.GlobalSecondaryIndexes ?? []).Select(index => From(index.IndexName, false, index.KeySchema, index.Projection));
        var local = (table.LocalSecondaryIndexes ?? []).Select(index => From(index.IndexName, true, index.KeySchema, index.Projection));
        return global.Concat(local).ToList();
    }

    /// <summary>The workbook table's five indexes, as <see cref="TableDefinition.CreateRequest"/> defines them.</summary>
    public static IReadOnlyList<IndexShape> OfWorkbookTable() => Of(TableDefinition.CreateRequest(TableDefinition.DefaultTableName));

    private static IndexShape From(string name, bool local, List<KeySchemaElement> keys, Projection projection) => new(
        name, local,
        keys.Single(k => k.KeyType == KeyType.HASH).AttributeName,
        keys.SingleOrDefault(k => k.KeyType == KeyType.RANGE)?.AttributeName,
        projection.ProjectionType.Value,
        projection.NonKeyAttributes ?? []);
}
