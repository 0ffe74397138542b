using Amazon.DynamoDBv2.Model;
using Mlm.Workbook.Capacity;

namespace Mlm.Workbook.Designs;

/// <summary>What one design writes to indexes when an item is put.</summary>
/// <param name="Item">The kind of item.</param>
/// <param name="Design">The key design.</param>
/// <param name="IndexesWritten">The indexes the put writes, by name.</param>
/// <param name="IndexWrites">How many index writes that is.</param>
/// <param name="IndexUnits">Their write units by AWS's rules.</param>
public sealed record IndexWriteCount(string Item, string Design, string IndexesWritten, int IndexWrites, double IndexUnits);

/// <summary>
/// GSI overloading: generic attributes <c>GSI1PK</c>/<c>GSI1SK</c> that each kind of item fills with what its own lookup
/// needs, so one index serves several access patterns. A member: <c>GSI1PK = EMAIL#ana@example.com</c>,
/// <c>GSI1SK = USER#004</c> (find a member by email). A sale: <c>GSI1PK = DATE#20250207</c>,
/// <c>GSI1SK = USER#004#SALE#001</c> (the sales of a day). A kind of item that needs a second lookup (a member's phone too)
/// needs a second index, <c>GSI2</c>, since one item has one value per attribute.
/// </summary>
public static class OverloadedIndex
{
    /// <summary>A member's overloaded-index keys.</summary>
    public static Dictionary<string, AttributeValue> KeysOf(Member member)
    {
        if (member is null) throw new ArgumentNullException(nameof(member));
        return new() { [DesignsTable.Gsi1Pk] = ItemValues.S(Keys.EmailMarker(member.Email)), [DesignsTable.Gsi1Sk] = ItemValues.S(member.PartitionKey) };
    }

    /// <summary>A sale's overloaded-index keys.</summary>
    public static Dictionary<string, AttributeValue> KeysOf(Sale sale)
    {
        if (sale is null) throw new ArgumentNullException(nameof(sale));
        return new() { [DesignsTable.Gsi1Pk] = ItemValues.S(sale.SaleDateKey), [DesignsTable.Gsi1Sk] = ItemValues.S(sale.SaleReference) };
    }

    /// <summary>Find a member by email: <c>GSI1PK = EMAIL#…</c> (lower-cased, as emails compare).</summary>
    public static Task<ReadResult> FindMemberByEmailAsync(DesignsTable table, string email, CancellationToken cancellationToken = default)
    {
        if (table is null) throw new ArgumentNullException(nameof(table));
        return table.QueryAsync(DesignsTable.Gsi1, $"{DesignsTable.Gsi1Pk} = :pk", new() { [":pk"] = Keys.EmailMarker(email) }, cancellationToken);
    }

    /// <summary>The sales of a day: <c>GSI1PK = DATE#…</c>, in sale reference order.</summary>
    public static Task<ReadResult> GetSalesOnDateAsync(DesignsTable table, DateOnly date, CancellationToken cancellationToken = default)
    {
        if (table is null) throw new ArgumentNullException(nameof(table));
        return table.QueryAsync(DesignsTable.Gsi1, $"{DesignsTable.Gsi1Pk} = :pk", new() { [":pk"] = Keys.Date(date) }, cancellationToken);
    }

    /// <summary>
    /// The index writes of putting a new member and a new sale, by AWS's rules, in three designs: the exercise's table with
    /// all its indexes; the exercise's indexes for the two patterns <c>GSI1</c> serves (<c>email-index</c> and the date index);
    /// and <c>GSI1</c> alone.
    /// </summary>
    public static IReadOnlyList<IndexWriteCount> Compare(Member member, Sale sale)
    {
        if (member is null) throw new ArgumentNullException(nameof(member));
        if (sale is null) throw new ArgumentNullException(nameof(sale));
        var exercise = IndexShape.OfWorkbookTable();
        var samePatterns = exercise.Where(index => index.Name is Indexes.Email or Indexes.SaleDate).ToList();
        var overloaded = IndexShape.Of(DesignsTable.CreateRequest("designs")).Where(index => index.Name == DesignsTable.Gsi1).ToList();
        var memberItem = member.ToItem();
        var saleItem = sale.ToItem();
        var memberOverloaded = new Dictionary<string, AttributeValue>(memberItem);
        foreach (var (name, value) in KeysOf(member)) memberOverloaded[name] = value;
        var saleOverloaded = new Dictionary<string, AttributeValue>(saleItem);
        foreach (var (name, value) in KeysOf(sale)) saleOverloaded[name] = value;
        var designs = new (string Design, IReadOnlyList<IndexShape> Indexes, Dictionary<string, AttributeValue> Member, Dictionary<string, AttributeValue> Sale)[]
        {
            ($"per attribute: all {exercise.Count} indexes", exercise, memberItem, saleItem),
            ("per attribute: email + date indexes", samePatterns, memberItem, saleItem),
            ("overloaded: GSI1 (email + date)", overloaded, memberOverloaded, saleOverloaded),
        };
        return designs.SelectMany(d => new[] { Row("member", d.Design, d.Indexes, d.Member), Row("sale", d.Design, d.Indexes, d.Sale) })
            .OrderBy(row => row.Item, StringComparer.Ordinal).ToList();
    }

    private static IndexWriteCount Row(string item, string design, IReadOnlyList<IndexShape> indexes, Dictionary<string, AttributeValue> written)
    {
        var lines = CapacityRules.PutCost(indexes, written).Lines.Skip(1).ToList();
        return new IndexWriteCount(item, design, lines.Count == 0 ? "-" : string.Join(", ", lines.Select(l => l.Target)), lines.Count, lines.Sum(l => l.Units));
    }
}
