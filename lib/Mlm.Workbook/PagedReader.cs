using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Mlm.Workbook;

/// <summary>
/// Reads that page through to the end: Scan and Query follow <c>LastEvaluatedKey</c>, PartiQL follows <c>NextToken</c>.
/// Every request asks for the capacity it consumed, so a result can show what it cost.
/// </summary>
internal sealed class PagedReader(IAmazonDynamoDB client, string tableName)
{
    /// <summary>Every item of the table, optionally only some attributes.</summary>
    public Task<ReadResult> ScanAsync(string? projection, CancellationToken cancellationToken) =>
        ReadAllPagesAsync<Dictionary<string, AttributeValue>>(new ReadRequest("Scan", tableName, null, null, new Dictionary<string, string>()), async startKey =>
        {
            var sent = new ScanRequest
            {
                TableName = tableName,
                ProjectionExpression = projection,
                ExclusiveStartKey = startKey,
                ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            };
            var response = await Resilience.CallAsync(client, tableName, token => client.ScanAsync(sent, token), cancellationToken).ConfigureAwait(false);
            return new Page<Dictionary<string, AttributeValue>>(sent, response.Items, response.ScannedCount, response.ConsumedCapacity,
                response.LastEvaluatedKey is { Count: > 0 } next ? next : null);
        });

    /// <summary>A query of the table or an index, with string values for its placeholders.</summary>
    public Task<ReadResult> QueryAsync(string? indexName, string keyCondition, Dictionary<string, string> values, CancellationToken cancellationToken) =>
        ReadAllPagesAsync<Dictionary<string, AttributeValue>>(new ReadRequest("Query", tableName, indexName, keyCondition, values), async startKey =>
        {
            var sent = new QueryRequest
            {
                TableName = tableName,
                IndexName = indexName,
                KeyConditionExpression = keyCondition,
                ExpressionAttributeValues = values.ToDictionary(v => v.Key, v => ItemValues.S(v.Value)),
                ExclusiveStartKey = startKey,
                ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            };
            var response = await Resilience.CallAsync(client, tableName, token => client.QueryAsync(sent, token), cancellationToken).ConfigureAwait(false);
            return new Page<Dictionary<string, AttributeValue>>(sent, response.Items, response.ScannedCount, response.ConsumedCapacity,
                response.LastEvaluatedKey is { Count: > 0 } next ? next : null);
        });

    /// <summary>A PartiQL SELECT with <c>?</c> placeholders filled from string values.</summary>
    public Task<ReadResult> ExecutePartiQlAsync(string statement, IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        var request = new ReadRequest(ReadRequest.PartiQl, tableName, null, statement,
            values.Select((value, index) => (value, index)).ToDictionary(v => $"?{v.index + 1}", v => v.value));
        return ReadAllPagesAsync<string>(request, async nextToken =>
        {
            var sent = new ExecuteStatementRequest
            {
                Statement = statement,
                Parameters = values.Select(ItemValues.S).ToList(),
                NextToken = nextToken,
                ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            };
            var response = await Resilience.CallAsync(client, tableName, token => client.ExecuteStatementAsync(sent, token), cancellationToken).ConfigureAwait(false);
            return new Page<string>(sent, response.Items, null, response.ConsumedCapacity, string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken);
        });
    }

    /// <summary>One item by its whole key, with GetItem: the read the workbook makes wherever it knows pk and sk.</summary>
    public static async Task<ReadResult> GetItemAsync(IAmazonDynamoDB client, string tableName, Dictionary<string, AttributeValue> key, CancellationToken cancellationToken)
    {
        var sent = new GetItemRequest
        {
            TableName = tableName,
            Key = key,
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        };
        var response = await Resilience.CallAsync(client, tableName, token => client.GetItemAsync(sent, token), cancellationToken).ConfigureAwait(false);
        var found = response.Item is { Count: > 0 };
        var request = new ReadRequest("GetItem", tableName, null, "pk = :pk AND sk = :sk",
            new Dictionary<string, string> { [":pk"] = key[Keys.PartitionKey].S, [":sk"] = key[Keys.SortKey].S });
        return new ReadResult(request, found ? [response.Item!] : [], 1, found ? 1 : 0, response.ConsumedCapacity?.CapacityUnits ?? 0)
            { AwsReadUnits = Capacity.CapacityRules.GetItemUnits(found ? response.Item : null), SentRequests = [sent] };
    }

    /// <summary>One page of a read, and where the next one starts (null when this was the last).</summary>
    private readonly record struct Page<TNext>(
        AmazonWebServiceRequest Sent, List<Dictionary<string, AttributeValue>>? Items, int? ScannedCount, ConsumedCapacity? Capacity, TNext? Next) where TNext : class;

    /// <summary>Reads page after page, passing each page's continuation to the next request, until there is none.</summary>
    private static async Task<ReadResult> ReadAllPagesAsync<TNext>(ReadRequest request, Func<TNext?, Task<Page<TNext>>> readPage) where TNext : class
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        var sent = new List<AmazonWebServiceRequest>();
        var pages = 0;
        var scanned = 0;
        var capacity = 0.0;
        var awsUnits = 0.0;
        TNext? next = null;
        do
        {
            var page = await readPage(next).ConfigureAwait(false);
            pages++;
            sent.Add(page.Sent);
            items.AddRange(page.Items ?? []);
            scanned += page.ScannedCount ?? page.Items?.Count ?? 0;
            capacity += page.Capacity?.CapacityUnits ?? 0;
            // Query and Scan here have no filter, so the items returned are the items read; see AwsReadUnits for PartiQL.
            awsUnits += Capacity.CapacityRules.ReadUnits(page.Items);
            next = page.Next;
        } while (next is not null);
        return new ReadResult(request, items, pages, scanned, capacity) { AwsReadUnits = awsUnits, SentRequests = sent };
    }
}
