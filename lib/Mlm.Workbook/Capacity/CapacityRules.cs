using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook.Capacity;

/// <summary>
/// What reads and writes cost by AWS's documented rules, computed from the items themselves (<see cref="ItemSize"/>).
/// Reads: the bytes one request reads, rounded up to 4 KB, each 4 KB half a read unit (eventually consistent), one
/// (strongly consistent) or two (transactional), and never less than one 4 KB block per request, so a query that finds
/// nothing still costs 0.5 or 1. Writes: each item rounded up to 1 KB, one write unit per KB (two in a transaction), at
/// least one; and every index the item is in is written too, at the size of its index entry.
/// DynamoDB Local reports figures of its own (for one, 0 for a query that finds nothing); these are the ones AWS bills.
/// </summary>
public static class CapacityRules
{
    /// <summary>The block a read unit covers.</summary>
    public const int ReadBlockBytes = 4096;

    /// <summary>The block a write unit covers.</summary>
    public const int WriteBlockBytes = 1024;

    /// <summary>The action of an index write whose key changed: the old entry is deleted and the new one put.</summary>
    public const string DeleteAndPut = "delete + put";

    /// <summary>What one 4 KB block costs to read.</summary>
    public static double UnitsPerReadBlock(ReadConsistency consistency) => consistency switch
    {
        ReadConsistency.Eventual => 0.5,
        ReadConsistency.Strong => 1,
        ReadConsistency.Transactional => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(consistency), consistency, null),
    };

    /// <summary>Read units of one request that reads <paramref name="bytes"/> in all: rounded up to 4 KB, at least one block.</summary>
    public static double ReadUnits(long bytes, ReadConsistency consistency = ReadConsistency.Eventual)
    {
        if (bytes < 0) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "A size cannot be negative.");
        var blocks = Math.Max(1, (bytes + ReadBlockBytes - 1) / ReadBlockBytes);
        return blocks * UnitsPerReadBlock(consistency);
    }

    /// <summary>
    /// Read units of one Query or Scan request (one page): the items it evaluated, summed, then rounded. Items a filter
    /// later drops count too, so pass every item the request read, not only those it returned.
    /// </summary>
    public static double ReadUnits(IEnumerable<IReadOnlyDictionary<string, AttributeValue>>? itemsRead, ReadConsistency consistency = ReadConsistency.Eventual) =>
        ReadUnits((itemsRead ?? []).Sum(item => (long)ItemSize.Of(item)), consistency);

    /// <summary>Read units of a GetItem: the item's size rounded up to 4 KB; an item that is not there still costs one block.</summary>
    public static double GetItemUnits(IReadOnlyDictionary<string, AttributeValue>? item, ReadConsistency consistency = ReadConsistency.Eventual) =>
        ReadUnits(item is { Count: > 0 } ? ItemSize.Of(item) : 0, consistency);

    /// <summary>Write units of writing <paramref name="bytes"/>: rounded up to 1 KB, at least one; twice that in a transaction.</summary>
    public static double WriteUnits(long bytes, bool transactional = false)
    {
        if (bytes < 0) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "A size cannot be negative.");
        var blocks = Math.Max(1, (bytes + WriteBlockBytes - 1) / WriteBlockBytes);
        return blocks * (transactional ? 2 : 1);
    }

    /// <summary>
    /// What putting <paramref name="item"/> costs, over the table and every index: the table's write (the larger of the old
    /// and new item when it replaces one), then per index a put when the item enters it, a delete when it leaves it,
    /// a delete + put when its index key changes, an update when only projected attributes change, and nothing when the
    /// index's entry stays the same or the item has no key for it (a sparse index).
    /// </summary>
    /// <param name="indexes">The table's indexes (see <see cref="IndexShape.Of"/>).</param>
    /// <param name="item">The item as written.</param>
    /// <param name="previous">The item it replaces, or null for a new item.</param>
    /// <param name="transactional">Written in a TransactWriteItems: the table's write costs twice. (AWS does not document whether index writes double too; they are counted at the standard rate, the least they can cost.)</param>
    /// <param name="tableName">The name shown for the table's line.</param>
    public static WriteCost PutCost(IReadOnlyList<IndexShape> indexes, IReadOnlyDictionary<string, AttributeValue> item,
        IReadOnlyDictionary<string, AttributeValue>? previous = null, bool transactional = false, string tableName = "table")
    {
        if (indexes is null) throw new ArgumentNullException(nameof(indexes));
        if (item is null) throw new ArgumentNullException(nameof(item));
        var bytes = Math.Max(ItemSize.Of(item), previous is null ? 0 : ItemSize.Of(previous));
        var lines = new List<WriteLine> { new(tableName, previous is null ? "put" : "update", bytes, WriteUnits(bytes, transactional)) };
        foreach (var index in indexes)
            if (IndexWrite(index, previous, item) is { } line) lines.Add(line);
        return new WriteCost(lines);
    }

    /// <summary>What deleting <paramref name="item"/> costs: the table's delete and one delete per index it is in.</summary>
    public static WriteCost DeleteCost(IReadOnlyList<IndexShape> indexes, IReadOnlyDictionary<string, AttributeValue> item, bool transactional = false, string tableName = "table")
    {
        if (indexes is null) throw new ArgumentNullException(nameof(indexes));
        if (item is null) throw new ArgumentNullException(nameof(item));
        var bytes = ItemSize.Of(item);
        var lines = new List<WriteLine> { new(tableName, "delete", bytes, WriteUnits(bytes, transactional)) };
        foreach (var index in indexes)
            if (IndexWrite(index, item, null) is { } line) lines.Add(line);
        return new WriteCost(lines);
    }

    private static WriteLine? IndexWrite(IndexShape index, IReadOnlyDictionary<string, AttributeValue>? before, IReadOnlyDictionary<string, AttributeValue>? after)
    {
        var wasIn = index.Holds(before);
        var isIn = index.Holds(after);
        if (!wasIn && !isIn) return null;
        if (!wasIn) return Line(index, "put", index.EntrySize(after!));
        if (!isIn) return Line(index, "delete", index.EntrySize(before!));
        var oldSize = index.EntrySize(before!);
        var newSize = index.EntrySize(after!);
        if (index.KeyAttributes.Any(key => !SameValue(before![key], after![key])))
            return new WriteLine(index.Name, DeleteAndPut, Math.Max(oldSize, newSize), WriteUnits(oldSize) + WriteUnits(newSize));
        var projected = index.Projection == Amazon.DynamoDBv2.ProjectionType.ALL.Value
            ? before!.Keys.Union(after!.Keys)
            : index.KeyAttributes.Concat(index.NonKeyAttributes);
        if (projected.All(name => before!.TryGetValue(name, out var a) == after!.TryGetValue(name, out var b) && (a is null || SameValue(a, b!))))
            return null;
        return Line(index, "update", Math.Max(oldSize, newSize));
    }

    private static WriteLine Line(IndexShape index, string action, int bytes) => new(index.Name, action, bytes, WriteUnits(bytes));

    // Strings, numbers, booleans and nulls by value; lists, maps and sets (which the workbook does not store) by size.
    private static bool SameValue(AttributeValue a, AttributeValue b) =>
        a.S == b.S && a.N == b.N && a.BOOL == b.BOOL && a.NULL == b.NULL && ItemSize.ValueSize(a) == ItemSize.ValueSize(b);
}
