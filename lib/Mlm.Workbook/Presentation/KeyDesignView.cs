using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook.Presentation;

/// <summary>
/// The items of the table, or of one index, as NoSQL Workbench's aggregate view shows them: grouped by partition
/// key value into <em>item collections</em> (the items that share one partition key value), ordered by sort key, each
/// kind of item in its own colour. An index view holds only the items that have the index's key attributes, so a sparse
/// index visibly drops items. (Where a collection is stored, its physical partition, is DynamoDB's choice: it hashes the
/// partition key value; many collections share one partition.)
/// </summary>
/// <param name="Title">The table or index name.</param>
/// <param name="PartitionKey">The attribute that is the partition key here.</param>
/// <param name="SortKey">The attribute that is the sort key here, if any.</param>
/// <param name="Items">The items this table or index holds, in key order.</param>
/// <param name="TableItemCount">How many items the table holds, to show what the index leaves out.</param>
public sealed record KeyDesignView(string Title, string PartitionKey, string? SortKey, IReadOnlyList<Dictionary<string, AttributeValue>> Items, int TableItemCount)
{
    /// <summary>Items shown per view at most; a view of a big table says how many it left out.</summary>
    public const int MaxItemsShown = 120;

    /// <summary>The kinds of item and their colours.</summary>
    public static readonly IReadOnlyList<(string Kind, string Colour)> Legend =
        [("member", "#dbeafe"), ("sale", "#dcfce7"), ("unique marker", "#f3f4f6"), ("other", "#fff7ed")];

    /// <summary>The table's own view.</summary>
    public static KeyDesignView ForTable(string tableName, IReadOnlyList<Dictionary<string, AttributeValue>> items) =>
        Create(tableName, Keys.PartitionKey, Keys.SortKey, items);

    /// <summary>One view for the table and one for each of its five indexes, as the table definition declares them.</summary>
    public static IReadOnlyList<KeyDesignView> ForTableAndIndexes(string tableName, IReadOnlyList<Dictionary<string, AttributeValue>> items)
    {
        var definition = TableDefinition.CreateRequest(tableName);
        var views = new List<KeyDesignView> { ForTable(tableName, items) };
        foreach (var index in definition.GlobalSecondaryIndexes.Select(i => (i.IndexName, i.KeySchema))
                     .Concat(definition.LocalSecondaryIndexes.Select(i => (i.IndexName, i.KeySchema))))
        {
            var partition = index.KeySchema.Single(k => k.KeyType == Amazon.DynamoDBv2.KeyType.HASH).AttributeName;
            var sort = index.KeySchema.SingleOrDefault(k => k.KeyType == Amazon.DynamoDBv2.KeyType.RANGE)?.AttributeName;
            views.Add(Create(index.IndexName, partition, sort, items));
        }
        return views;
    }

    private static KeyDesignView Create(string title, string partitionKey, string? sortKey, IReadOnlyList<Dictionary<string, AttributeValue>> items)
    {
        var held = items.Where(i => i.ContainsKey(partitionKey) && (sortKey is null || i.ContainsKey(sortKey)))
            .OrderBy(i => i[partitionKey].S, StringComparer.Ordinal)
            .ThenBy(i => sortKey is null ? "" : i[sortKey].S, StringComparer.Ordinal)
            .ToList();
        return new KeyDesignView(title, partitionKey, sortKey, held, items.Count);
    }

    /// <summary>How many item collections (distinct partition key values) the view holds.</summary>
    public int ItemCollections => Items.Select(i => i[PartitionKey].S).Distinct().Count();

    /// <summary>When set, the HTML shows only this many item collections, then how many more there are.</summary>
    public int? CollectionsShown { get; init; }

    /// <summary>The same view, showing only the first <paramref name="collections"/> item collections and a count of the rest.</summary>
    public KeyDesignView Sample(int collections) => collections < 1
        ? throw new ArgumentOutOfRangeException(nameof(collections), collections, "Show at least one item collection.")
        : this with { CollectionsShown = collections };

    /// <summary>The kind of an item: member, sale, unique marker or other.</summary>
    public static string KindOf(IReadOnlyDictionary<string, AttributeValue> item) =>
        Member.IsMember(item) ? "member" : Sale.IsSale(item) ? "sale"
        : item.TryGetValue(Keys.SortKey, out var sk) && sk.S == Keys.Unique ? "unique marker" : "other";

    /// <summary>One line: <c>recruited_by-index: 79 of 100 items in 5 item collections</c>.</summary>
    public override string ToString() => $"{Title}: {Items.Count} of {TableItemCount} items in {ItemCollections} item collections";

    /// <summary>The view as an HTML table: the partition key cell spans its items; rows coloured by kind.</summary>
    public string ToHtml()
    {
        var columns = new[] { PartitionKey }.Concat(SortKey is null ? [] : new[] { SortKey })
            .Concat(Items.SelectMany(i => i.Keys).Distinct().Where(a => a != PartitionKey && a != SortKey).OrderBy(a => a, StringComparer.Ordinal)).ToList();
        var collections = Items.GroupBy(i => i[PartitionKey].S).Take(CollectionsShown ?? int.MaxValue).SelectMany(group => group);
        var shown = collections.Take(MaxItemsShown).ToList();
        var html = new HtmlWriter();
        var dropped = TableItemCount - Items.Count;
        html.Open("div", ("class", "key-design-view")).Open("p").Element("strong", Title)
            .Text($": {Items.Count} of {TableItemCount} items in {ItemCollections} item collections");
        if (dropped > 0)
        {
            html.Text($"; {dropped} items have no ").Element("code", PartitionKey);
            if (SortKey is not null) html.Text(" or ").Element("code", SortKey);
            html.Text(", so this index does not hold them");
        }
        html.Text(".").Close().Open("p", ("class", "legend"));
        foreach (var (kind, colour) in Legend) html.Element("span", kind, ("style", $"background:{colour};padding:0 0.4em;margin-right:0.5em"));
        html.Close().Open("table", ("class", "key-design")).Open("thead").Open("tr");
        html.Element("th", $"Partition key: {PartitionKey}");
        if (SortKey is not null) html.Element("th", $"Sort key: {SortKey}");
        foreach (var column in columns.Skip(SortKey is null ? 1 : 2)) html.Element("th", column);
        html.Close().Close().Open("tbody");
        foreach (var partition in shown.GroupBy(i => i[PartitionKey].S))
        {
            var first = true;
            foreach (var item in partition)
            {
                html.Open("tr", ("style", $"background:{Legend.First(l => l.Kind == KindOf(item)).Colour}"));
                if (first) html.Element("th", partition.Key, ("rowspan", partition.Count().ToString(System.Globalization.CultureInfo.InvariantCulture)), ("style", "background:#fff"));
                first = false;
                foreach (var column in columns.Skip(1))
                    html.Element("td", item.TryGetValue(column, out var value) ? value.S ?? value.N ?? "" : "");
                html.Close();
            }
        }
        html.Close().Close();
        var collectionsLeft = ItemCollections - shown.Select(i => i[PartitionKey].S).Distinct().Count();
        if (Items.Count > shown.Count)
            html.Element("p", $"… and {Items.Count - shown.Count} more items{(collectionsLeft > 0 ? $" in {collectionsLeft} more item collections" : "")}.");
        return html.Close().ToString();
    }
}
