using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Mlm.Workbook;

/// <summary>
/// One request that went to DynamoDB while an answer cell ran, as the SDK sent it, and what came back: the request
/// and response objects themselves, and what a check reads from them (operation, table, index, conditions, paging,
/// items returned and scanned).
/// </summary>
public sealed partial class SentRequest
{
    internal SentRequest(AmazonWebServiceRequest request, AmazonWebServiceResponse? response, Exception? error)
    {
        Request = request;
        Response = response;
        Error = error;
        Operation = request.GetType().Name is var name && name.EndsWith("Request", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Request".Length) : name;
        switch (request)
        {
            case QueryRequest query:
                (TableName, IndexName, Limit, ConsistentRead, ExclusiveStartKey) = (query.TableName, query.IndexName, query.Limit, query.ConsistentRead == true, query.ExclusiveStartKey);
                KeyCondition = Condition.Parse(query.KeyConditionExpression, query.ExpressionAttributeValues, query.ExpressionAttributeNames);
                Filter = Condition.Parse(query.FilterExpression, query.ExpressionAttributeValues, query.ExpressionAttributeNames);
                break;
            case ScanRequest scan:
                (TableName, IndexName, Limit, ConsistentRead, ExclusiveStartKey) = (scan.TableName, scan.IndexName, scan.Limit, scan.ConsistentRead == true, scan.ExclusiveStartKey);
                Filter = Condition.Parse(scan.FilterExpression, scan.ExpressionAttributeValues, scan.ExpressionAttributeNames);
                break;
            case GetItemRequest get:
                (TableName, ConsistentRead) = (get.TableName, get.ConsistentRead == true);
                KeyCondition = (get.Key ?? []).Select(k => new Comparison(k.Key, "=", [k.Value], Condition.Describe(k.Key, "=", [k.Value]))).ToList();
                break;
            case ExecuteStatementRequest statement:
                var parsed = Statement().Match(statement.Statement ?? "");
                if (parsed.Success)
                {
                    TableName = parsed.Groups["table"].Value;
                    IndexName = parsed.Groups["index"].Success ? parsed.Groups["index"].Value : null;
                    // Key attributes are told from the rest when the check knows the target's key schema; until then it is all one condition.
                    KeyCondition = Condition.ParsePartiQl(parsed.Groups["where"].Value, statement.Parameters);
                }
                (Limit, ConsistentRead, NextToken) = (statement.Limit, statement.ConsistentRead == true, statement.NextToken);
                break;
            case BatchGetItemRequest batch:
                TableName = batch.RequestItems?.Keys.FirstOrDefault();
                break;
            default:
                TableName = request.GetType().GetProperty("TableName")?.GetValue(request) as string;
                break;
        }
        switch (response)
        {
            case QueryResponse query:
                (Items, ScannedCount, LastEvaluatedKey) = (query.Items ?? [], query.ScannedCount ?? 0, NullIfEmpty(query.LastEvaluatedKey));
                break;
            case ScanResponse scan:
                (Items, ScannedCount, LastEvaluatedKey) = (scan.Items ?? [], scan.ScannedCount ?? 0, NullIfEmpty(scan.LastEvaluatedKey));
                break;
            case GetItemResponse get:
                Items = get.Item is { Count: > 0 } item ? [item] : [];
                ScannedCount = Items.Count;
                break;
            case ExecuteStatementResponse statement:
                Items = statement.Items ?? [];
                ScannedCount = Items.Count;
                break;
            case BatchGetItemResponse batch:
                Items = (batch.Responses ?? []).SelectMany(r => r.Value ?? []).ToList();
                ScannedCount = Items.Count;
                break;
        }
        ReportedUnits = response?.GetType().GetProperty("ConsumedCapacity")?.GetValue(response) switch
        {
            ConsumedCapacity one => one.CapacityUnits,
            IEnumerable<ConsumedCapacity> many => many.Sum(c => c.CapacityUnits ?? 0),
            _ => null,
        };
    }

    /// <summary>The operation: Query, Scan, GetItem, ExecuteStatement, TransactWriteItems, UpdateTable, …</summary>
    public string Operation { get; }

    /// <summary>The SDK request object, as the client sent it.</summary>
    public AmazonWebServiceRequest Request { get; }

    /// <summary>What DynamoDB answered, or null when the request failed.</summary>
    public AmazonWebServiceResponse? Response { get; }

    /// <summary>Why the request failed, or null.</summary>
    public Exception? Error { get; }

    /// <summary>The table named (for PartiQL, in its FROM clause).</summary>
    public string? TableName { get; }

    /// <summary>The index read, or null for the table itself.</summary>
    public string? IndexName { get; }

    /// <summary>The key condition's comparisons (a GetItem's key; a PartiQL statement's whole WHERE clause); empty for a Scan.</summary>
    internal IReadOnlyList<Comparison> KeyCondition { get; } = [];

    /// <summary>The filter's comparisons: conditions applied after reading, so the items they drop are paid for.</summary>
    internal IReadOnlyList<Comparison> Filter { get; } = [];

    /// <summary>The request's <c>Limit</c>, if any.</summary>
    public int? Limit { get; }

    /// <summary>Whether the read asked for strong consistency (twice the units).</summary>
    public bool ConsistentRead { get; }

    /// <summary>Where a Query or Scan page started; null for a first page.</summary>
    public Dictionary<string, AttributeValue>? ExclusiveStartKey { get; }

    /// <summary>Where a PartiQL page started; null for a first page.</summary>
    public string? NextToken { get; }

    /// <summary>Where the next page would start; null when this was the last.</summary>
    public Dictionary<string, AttributeValue>? LastEvaluatedKey { get; }

    /// <summary>The items the response returned.</summary>
    public IReadOnlyList<Dictionary<string, AttributeValue>> Items { get; } = [];

    /// <summary>Items DynamoDB read for a Query or Scan before its filter; the count returned for other reads.</summary>
    public int ScannedCount { get; }

    /// <summary>The capacity the endpoint reported, when the request asked for it.</summary>
    public double? ReportedUnits { get; }

    /// <summary>Whether this is a read: Query, Scan, GetItem, BatchGetItem or a PartiQL statement.</summary>
    public bool IsRead => Operation is "Query" or "Scan" or "GetItem" or "BatchGetItem" or ReadRequest.PartiQl;

    /// <summary>Whether this page continues an earlier read (it carries the previous page's key or token).</summary>
    public bool IsContinuation => ExclusiveStartKey is { Count: > 0 } || !string.IsNullOrEmpty(NextToken);

    /// <summary>One line: the operation, the target and the conditions, values filled in.</summary>
    public override string ToString()
    {
        var target = IndexName is null ? TableName : $"{TableName}.{IndexName}";
        var text = Request is ExecuteStatementRequest statement ? $"{Operation}: {statement.Statement}" : $"{Operation} {target}";
        if (Request is not ExecuteStatementRequest && KeyCondition.Count > 0) text += ": " + string.Join(" AND ", KeyCondition.Select(c => c.Text));
        if (Filter.Count > 0) text += " FILTER " + string.Join(" AND ", Filter.Select(c => c.Text));
        if (Limit is { } limit) text += $" LIMIT {limit}";
        return text;
    }

    private static Dictionary<string, AttributeValue>? NullIfEmpty(Dictionary<string, AttributeValue>? key) => key is { Count: > 0 } ? key : null;

    [GeneratedRegex("""^\s*SELECT\s+.+?\s+FROM\s+"?(?<table>[^".\s]+)"?(\s*\.\s*"(?<index>[^"]+)")?(\s+WHERE\s+(?<where>.*?))?\s*;?\s*$""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Statement();
}
