using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// What a check judges: the requests the answer cell sent (recorded), the items its answer holds, and the table's data,
/// read by the check itself after the recording ended. It knows each target's key schema, so it can tell a key
/// condition from a filter, a Query from a scan, and which items each request had to read (and pay for).
/// </summary>
internal sealed class Attempt(
    MlmStore store, TableData data, IReadOnlyList<Dictionary<string, AttributeValue>> tableItems,
    IReadOnlyList<SentRequest> sent, IReadOnlyList<Dictionary<string, AttributeValue>> answerItems,
    IReadOnlyDictionary<string, TableDescription> tables)
{
    public MlmStore Store { get; } = store;

    public TableData Data { get; } = data;

    /// <summary>Every item of the checked table, as the check's scan read it.</summary>
    public IReadOnlyList<Dictionary<string, AttributeValue>> TableItems { get; } = tableItems;

    /// <summary>Every request the answer cell sent, in order, failed ones included.</summary>
    public IReadOnlyList<SentRequest> Sent { get; } = sent;

    /// <summary>The reads that succeeded.</summary>
    public IReadOnlyList<SentRequest> Reads { get; } = sent.Where(r => r.IsRead && r.Error is null).ToList();

    /// <summary>The items the answer holds.</summary>
    public IReadOnlyList<Dictionary<string, AttributeValue>> AnswerItems { get; } = answerItems;

    /// <summary>The answer's items as <c>pk|sk</c> keys.</summary>
    public IReadOnlyList<string> AnswerKeys { get; } = answerItems.Select(KeyOf).ToList();

    /// <summary>The descriptions of the tables the requests named, as they are now.</summary>
    public IReadOnlyDictionary<string, TableDescription> Tables { get; } = tables;

    /// <summary>The same attempt, judged on some of the requests only.</summary>
    public Attempt Narrowed(Func<SentRequest, bool> keep) => new(Store, Data, TableItems, Sent.Where(keep).ToList(), AnswerItems, Tables);

    public static string KeyOf(IReadOnlyDictionary<string, AttributeValue> item) =>
        (item.TryGetValue(Keys.PartitionKey, out var pk) ? pk.S : "?") + "|" + (item.TryGetValue(Keys.SortKey, out var sk) ? sk.S : "?");

    /// <summary>The partition and sort key attributes of what a request read (the table or one of its indexes).</summary>
    public (string? Partition, string? Sort) KeySchemaOf(SentRequest request)
    {
        if (request.TableName is null || !Tables.TryGetValue(request.TableName, out var table)) return (Keys.PartitionKey, null);
        var schema = request.IndexName is null ? table.KeySchema
            : (table.GlobalSecondaryIndexes ?? []).FirstOrDefault(i => i.IndexName == request.IndexName)?.KeySchema
              ?? (table.LocalSecondaryIndexes ?? []).FirstOrDefault(i => i.IndexName == request.IndexName)?.KeySchema;
        return (schema?.FirstOrDefault(k => k.KeyType == "HASH")?.AttributeName, schema?.FirstOrDefault(k => k.KeyType == "RANGE")?.AttributeName);
    }

    /// <summary>The comparisons DynamoDB uses to find items (a PartiQL statement's are those on the target's keys).</summary>
    public IReadOnlyList<Comparison> KeyParts(SentRequest request) => Split(request).Key;

    /// <summary>The comparisons applied after reading: a filter expression, or a PartiQL statement's others.</summary>
    public IReadOnlyList<Comparison> FilterParts(SentRequest request) => Split(request).Filter;

    private (IReadOnlyList<Comparison> Key, IReadOnlyList<Comparison> Filter) Split(SentRequest request)
    {
        if (request.Operation != ReadRequest.PartiQl) return (request.KeyCondition, request.Filter);
        var (partition, sort) = KeySchemaOf(request);
        var key = new List<Comparison>();
        var filter = new List<Comparison>();
        foreach (var part in request.KeyCondition)
        {
            var isKey = (part.Attribute == partition && part.Operator is "=" or "IN" && !key.Any(k => k.Attribute == partition))
                || (sort is not null && part.Attribute == sort && part.Operator != "<>" && !key.Any(k => k.Attribute == sort));
            (isKey ? key : filter).Add(part);
        }
        return (key, filter);
    }

    /// <summary>Whether a read examined the whole table or index: a Scan, or PartiQL with no equality on the partition key.</summary>
    public bool IsScan(SentRequest request) =>
        request.Operation == "Scan"
        || (request.Operation == ReadRequest.PartiQl && !KeyParts(request).Any(p => p.Attribute == KeySchemaOf(request).Partition));

    /// <summary>The items on a read's target: all of the table's, or those an index holds (it has both its key attributes).</summary>
    public IEnumerable<Dictionary<string, AttributeValue>> ItemsOn(SentRequest request)
    {
        var (partition, sort) = KeySchemaOf(request);
        return TableItems.Where(item => partition is not null && item.ContainsKey(partition) && (sort is null || item.ContainsKey(sort)));
    }

    /// <summary>The items a read had to examine, which it pays for whether a filter keeps them or not.</summary>
    public IReadOnlyList<Dictionary<string, AttributeValue>> Examined(SentRequest request)
    {
        if (request.Operation is "GetItem" or "BatchGetItem") return request.Items;
        if (request.Operation != ReadRequest.PartiQl && request.ScannedCount <= request.Items.Count) return request.Items;
        var candidates = IsScan(request) ? ItemsOn(request) : ItemsOn(request).Where(item => KeyParts(request).All(p => p.Matches(item.GetValueOrDefault(p.Attribute!))));
        var examined = candidates.ToList();
        return request.Operation == ReadRequest.PartiQl ? examined : examined.Take(request.ScannedCount).ToList();
    }

    /// <summary>How many items a read's filter (or a PartiQL condition off the keys) dropped after reading them.</summary>
    public int Dropped(SentRequest request) => Math.Max(0, Examined(request).Count - request.Items.Count);

    /// <summary>What a read costs by AWS's rules: the items it examined, rounded up to 4 KB; twice for a strongly consistent read.</summary>
    public double AwsUnits(SentRequest request)
    {
        var consistency = request.ConsistentRead ? Capacity.ReadConsistency.Strong : Capacity.ReadConsistency.Eventual;
        return request.Operation switch
        {
            "GetItem" => Capacity.CapacityRules.GetItemUnits(request.Items.FirstOrDefault(), consistency),
            "BatchGetItem" => request.Items.Sum(i => Capacity.CapacityRules.GetItemUnits(i, consistency)),
            _ => Capacity.CapacityRules.ReadUnits(Examined(request), consistency),
        };
    }

    /// <summary>Every item the reads returned, by key.</summary>
    public IReadOnlySet<string> ReturnedKeys => Reads.SelectMany(r => r.Items).Select(KeyOf).ToHashSet(StringComparer.Ordinal);

    /// <summary>The reads that start a result (continuation pages excluded).</summary>
    public IReadOnlyList<SentRequest> FirstPages => Reads.Where(r => !r.IsContinuation).ToList();

    /// <summary>The values a first page's key condition compared an attribute with for equality (or IN), in order.</summary>
    public IEnumerable<string> KeyValuesOf(string attribute) =>
        FirstPages.SelectMany(KeyParts).Where(p => p.Attribute == attribute && p.Operator is "=" or "IN").SelectMany(p => p.Values).Select(v => v.S ?? v.N ?? "");

    /// <summary>The reads, one line each, for a hint.</summary>
    public string Show(IEnumerable<SentRequest> requests, int most = 3)
    {
        var list = requests.ToList();
        return string.Join("; ", list.Take(most).Select(r => r.ToString())) + (list.Count > most ? $"; and {list.Count - most} more" : "");
    }
}
