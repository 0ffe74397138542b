using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>What a read sends to DynamoDB, for showing next to its result.</summary>
/// <param name="Operation">GetItem, Query, Scan, or <see cref="PartiQl"/>.</param>
/// <param name="TableName">The table.</param>
/// <param name="IndexName">The index read, or null for the table itself.</param>
/// <param name="KeyCondition">The key condition expression (or the key of a GetItem), or null for a scan.</param>
/// <param name="Values">The expression's values, by placeholder (or the key attributes of a GetItem).</param>
public sealed record ReadRequest(string Operation, string TableName, string? IndexName, string? KeyCondition, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The operation of a PartiQL statement, whose key condition is the statement.</summary>
    public const string PartiQl = "ExecuteStatement";

    /// <summary>One line: <c>Query mlm.email-index: email = :email (:email = "a@example.com")</c>.</summary>
    public override string ToString()
    {
        var target = IndexName is null ? TableName : $"{TableName}.{IndexName}";
        var values = Values.Count == 0 ? "" : " (" + string.Join(", ", Values.Select(v => $"{v.Key} = \"{v.Value}\"")) + ")";
        return KeyCondition is null ? $"{Operation} {target}" : $"{Operation} {target}: {KeyCondition}{values}";
    }
}

/// <summary>The items a read returned, across every page, and what it cost.</summary>
/// <param name="Request">What was sent.</param>
/// <param name="Items">The items, in the order DynamoDB returned them.</param>
/// <param name="Pages">How many requests it took (one per page of at most 1 MB).</param>
/// <param name="ScannedCount">Items DynamoDB read before any filter; equal to the count without one.</param>
/// <param name="CapacityUnits">Read capacity as the endpoint reported it, summed over the pages (DynamoDB Local's own figure when local).</param>
public sealed record ReadResult(
    ReadRequest Request, IReadOnlyList<Dictionary<string, AttributeValue>> Items, int Pages, int ScannedCount, double CapacityUnits)
{
    /// <summary>
    /// Read units by AWS's rules (<see cref="Capacity.CapacityRules"/>), eventually consistent, per request: each page's
    /// items rounded up to 4 KB, at least half a unit per request, so a query that finds nothing still costs 0.5.
    /// For a PartiQL statement it counts the items returned, which are the items read only when its WHERE clause is
    /// on key attributes alone; a statement that filters is billed for every item it examines (a scan, without an
    /// equality on the partition key).
    /// </summary>
    public double AwsReadUnits { get; init; }

    /// <summary>
    /// The requests as the SDK sent them, one per page, in order: what <see cref="Presentation.RawRequests.RawRequest(ReadResult)"/>
    /// shows. Empty for a result that no read of the library made.
    /// </summary>
    public IReadOnlyList<Amazon.Runtime.AmazonWebServiceRequest> SentRequests { get; init; } = [];

    /// <summary>How many items were returned.</summary>
    public int Count => Items.Count;

    /// <summary>The member profiles among the items.</summary>
    public IReadOnlyList<Member> Members() => Items.Where(Member.IsMember).Select(Member.FromItem).ToList();

    /// <summary>The sales among the items.</summary>
    public IReadOnlyList<Sale> Sales() => Items.Where(Sale.IsSale).Select(Sale.FromItem).ToList();
}
