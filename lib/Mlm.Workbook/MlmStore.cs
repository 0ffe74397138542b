using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// The exercise's table behind its access patterns: one method per pattern, named for what it finds.
/// Every read pages through <c>LastEvaluatedKey</c> and reports the capacity it consumed; writes go
/// in BatchWriteItem requests of 25 and retry unprocessed items.
/// </summary>
public sealed class MlmStore
{
    /// <summary>The most items one BatchWriteItem request may carry.</summary>
    public const int BatchSize = 25;

    private const int MaxBatchAttempts = 10;
    private readonly IAmazonDynamoDB _client;

    /// <summary>Wraps a client and a table.</summary>
    public MlmStore(IAmazonDynamoDB client, string tableName = TableDefinition.DefaultTableName)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        if (string.IsNullOrWhiteSpace(tableName)) throw new ArgumentException("A table name is required.", nameof(tableName));
        TableName = tableName;
    }

    /// <summary>The table this store reads and writes.</summary>
    public string TableName { get; }

    /// <summary>The client this store uses.</summary>
    public IAmazonDynamoDB Client => _client;

    /// <summary>Creates the table if it is missing (see <see cref="TableDefinition.CreateAsync"/>).</summary>
    public Task<bool> CreateTableAsync(CancellationToken cancellationToken = default) =>
        TableDefinition.CreateAsync(_client, TableName, cancellationToken: cancellationToken);

    /// <summary>Deletes the table if it exists.</summary>
    public Task<bool> DeleteTableAsync(CancellationToken cancellationToken = default) =>
        TableDefinition.DeleteAsync(_client, TableName, cancellationToken: cancellationToken);

    /// <summary>The console's Overview and Indexes tabs, as data.</summary>
    public Task<TableOverview> DescribeTableAsync(CancellationToken cancellationToken = default) =>
        TableOverview.ReadAsync(_client, TableName, cancellationToken);

    /// <summary>Writes every member and sale of a data set.</summary>
    /// <returns>How many items were written.</returns>
    public Task<int> SeedAsync(SeedData data, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        WriteAsync(data.Items(), progress, cancellationToken);

    /// <summary>
    /// Puts items in BatchWriteItem requests of 25. Items DynamoDB leaves unprocessed are sent again
    /// after an exponential, jittered delay; if some are still left after ten tries, the write fails.
    /// </summary>
    /// <param name="items">Items to put, read once, in order.</param>
    /// <param name="progress">Told the running total of items written after each request.</param>
    /// <param name="cancellationToken">Stops between requests.</param>
    /// <returns>How many items were written.</returns>
    public async Task<int> WriteAsync(IEnumerable<Dictionary<string, AttributeValue>> items, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (items is null) throw new ArgumentNullException(nameof(items));
        var written = 0;
        foreach (var chunk in Chunk(items, BatchSize))
        {
            await WriteBatchAsync(chunk, cancellationToken).ConfigureAwait(false);
            written += chunk.Count;
            progress?.Report(written);
        }
        return written;
    }

    private async Task WriteBatchAsync(List<WriteRequest> batch, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<string, List<WriteRequest>> { [TableName] = batch };
        for (var attempt = 1; ; attempt++)
        {
            var response = await _client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, cancellationToken).ConfigureAwait(false);
            if (response.UnprocessedItems is not { Count: > 0 } unprocessed || unprocessed.Values.All(list => list.Count == 0))
                return;
            if (attempt == MaxBatchAttempts)
                throw new AmazonDynamoDBException(
                    $"{unprocessed.Values.Sum(list => list.Count)} items were still unprocessed after {MaxBatchAttempts} BatchWriteItem attempts; the table may be overloaded.");
            pending = unprocessed;
            await Task.Delay(Backoff.Delay(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private static IEnumerable<List<WriteRequest>> Chunk(IEnumerable<Dictionary<string, AttributeValue>> items, int size)
    {
        var chunk = new List<WriteRequest>(size);
        foreach (var item in items)
        {
            chunk.Add(new WriteRequest { PutRequest = new PutRequest { Item = item } });
            if (chunk.Count == size)
            {
                yield return chunk;
                chunk = new List<WriteRequest>(size);
            }
        }
        if (chunk.Count > 0) yield return chunk;
    }

    /// <summary>Access pattern 1, the direct way: GetItem on <c>pk=USER#id</c>, <c>sk=PROFILE</c>.</summary>
    /// <param name="memberId">The member id: <c>"4"</c> or <c>"004"</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ReadResult> GetMemberAsync(string memberId, CancellationToken cancellationToken = default)
    {
        var key = new Dictionary<string, AttributeValue>
        {
            [Keys.PartitionKey] = ItemValues.S(Keys.User(memberId)),
            [Keys.SortKey] = ItemValues.S(Keys.Profile),
        };
        var request = new ReadRequest("GetItem", TableName, null, "pk = :pk AND sk = :sk",
            new Dictionary<string, string> { [":pk"] = key[Keys.PartitionKey].S, [":sk"] = Keys.Profile });
        var response = await _client.GetItemAsync(new GetItemRequest
        {
            TableName = TableName,
            Key = key,
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        }, cancellationToken).ConfigureAwait(false);
        var found = response.Item is { Count: > 0 };
        return new ReadResult(request, found ? [response.Item!] : [], 1, found ? 1 : 0, response.ConsumedCapacity?.CapacityUnits ?? 0);
    }

    /// <summary>Access pattern 1 as the exercise writes it: a Query with <c>pk = USER#id AND sk = PROFILE</c>.</summary>
    public Task<ReadResult> QueryMemberAsync(string memberId, CancellationToken cancellationToken = default) =>
        QueryAsync(null, "pk = :pk AND sk = :sk",
            new() { [":pk"] = Keys.User(memberId), [":sk"] = Keys.Profile }, cancellationToken);

    /// <summary>Access pattern 2: the members a member recruited directly, from <c>recruited_by-index</c>.</summary>
    public Task<ReadResult> GetDownlineAsync(string memberId, CancellationToken cancellationToken = default) =>
        QueryAsync(Indexes.RecruitedBy, "recruited_by = :recruiter",
            new() { [":recruiter"] = Keys.User(memberId) }, cancellationToken);

    /// <summary>
    /// Access pattern 3: the sales of one day, from <c>sale_date-sale_reference-index</c>,
    /// optionally narrowed to one member's sales with <c>begins_with</c> on the sale reference.
    /// </summary>
    public Task<ReadResult> GetSalesOnDateAsync(DateOnly date, string? memberId = null, CancellationToken cancellationToken = default) =>
        memberId is null
            ? QueryAsync(Indexes.SaleDate, "sale_date = :date",
                new() { [":date"] = Keys.Date(date) }, cancellationToken)
            : QueryAsync(Indexes.SaleDate, "sale_date = :date AND begins_with(sale_reference, :reference)",
                new() { [":date"] = Keys.Date(date), [":reference"] = Keys.SaleReferencePrefix(memberId) }, cancellationToken);

    /// <summary>
    /// Access pattern 4: a member's sales, from the local index <c>sale_reference-index</c>:
    /// <c>pk = USER#id AND begins_with(sale_reference, USER#id#SALE#)</c>.
    /// </summary>
    public Task<ReadResult> GetSalesOfMemberAsync(string memberId, CancellationToken cancellationToken = default) =>
        QueryAsync(Indexes.SaleReference, "pk = :pk AND begins_with(sale_reference, :reference)",
            new() { [":pk"] = Keys.User(memberId), [":reference"] = Keys.SaleReferencePrefix(memberId) }, cancellationToken);

    /// <summary>
    /// Access pattern 4 without the local index: the member's partition on the table itself,
    /// <c>pk = USER#id AND begins_with(sk, SALE#)</c>. It returns the same sales, in <c>sk</c> order.
    /// </summary>
    public Task<ReadResult> GetSalesOfMemberBySortKeyAsync(string memberId, CancellationToken cancellationToken = default) =>
        QueryAsync(null, "pk = :pk AND begins_with(sk, :sale)",
            new() { [":pk"] = Keys.User(memberId), [":sale"] = Keys.SalePrefix }, cancellationToken);

    /// <summary>Access pattern 5: the member with an email, from <c>email-index</c>.</summary>
    public Task<ReadResult> FindMemberByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        QueryAsync(Indexes.Email, "email = :email",
            new() { [":email"] = Required(email, nameof(email)) }, cancellationToken);

    /// <summary>Access pattern 6: the member with a phone number, from <c>phone-index</c>.</summary>
    public Task<ReadResult> FindMemberByPhoneAsync(string phone, CancellationToken cancellationToken = default) =>
        QueryAsync(Indexes.Phone, "phone = :phone",
            new() { [":phone"] = Required(phone, nameof(phone)) }, cancellationToken);

    /// <summary>Every item of the table, page after page (the exercise's scan stops after the first 1 MB).</summary>
    public Task<ReadResult> ScanAsync(CancellationToken cancellationToken = default) =>
        ReadAllPagesAsync(new ReadRequest("Scan", TableName, null, null, new Dictionary<string, string>()), async startKey =>
        {
            var response = await _client.ScanAsync(new ScanRequest
            {
                TableName = TableName,
                ExclusiveStartKey = startKey,
                ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            }, cancellationToken).ConfigureAwait(false);
            return new Page(response.Items, response.ScannedCount, response.ConsumedCapacity, response.LastEvaluatedKey);
        });

    /// <summary>
    /// Runs a PartiQL SELECT, with <c>?</c> placeholders filled from <paramref name="values"/> (strings), page after page.
    /// </summary>
    /// <param name="statement">For example <c>SELECT * FROM "mlm"."email-index" WHERE email = ?</c>.</param>
    /// <param name="values">The placeholder values, in order; never concatenated into the statement.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public async Task<ReadResult> ExecutePartiQlAsync(string statement, IReadOnlyList<string> values, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(statement)) throw new ArgumentException("A PartiQL statement is required.", nameof(statement));
        var items = new List<Dictionary<string, AttributeValue>>();
        var pages = 0;
        var capacity = 0.0;
        string? nextToken = null;
        do
        {
            var response = await _client.ExecuteStatementAsync(new ExecuteStatementRequest
            {
                Statement = statement,
                Parameters = values.Select(ItemValues.S).ToList(),
                NextToken = nextToken,
                ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            }, cancellationToken).ConfigureAwait(false);
            pages++;
            items.AddRange(response.Items ?? []);
            capacity += response.ConsumedCapacity?.CapacityUnits ?? 0;
            nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        } while (nextToken is not null);
        var request = new ReadRequest("ExecuteStatement", TableName, null, statement,
            values.Select((value, index) => (value, index)).ToDictionary(v => $"?{v.index + 1}", v => v.value));
        return new ReadResult(request, items, pages, items.Count, capacity);
    }

    private Task<ReadResult> QueryAsync(string? indexName, string keyCondition, Dictionary<string, string> values, CancellationToken cancellationToken) =>
        ReadAllPagesAsync(new ReadRequest("Query", TableName, indexName, keyCondition, values), async startKey =>
        {
            var response = await _client.QueryAsync(new QueryRequest
            {
                TableName = TableName,
                IndexName = indexName,
                KeyConditionExpression = keyCondition,
                ExpressionAttributeValues = values.ToDictionary(v => v.Key, v => ItemValues.S(v.Value)),
                ExclusiveStartKey = startKey,
                ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            }, cancellationToken).ConfigureAwait(false);
            return new Page(response.Items, response.ScannedCount, response.ConsumedCapacity, response.LastEvaluatedKey);
        });

    private readonly record struct Page(
        List<Dictionary<string, AttributeValue>>? Items, int? ScannedCount, ConsumedCapacity? Capacity, Dictionary<string, AttributeValue>? LastEvaluatedKey);

    private static async Task<ReadResult> ReadAllPagesAsync(ReadRequest request, Func<Dictionary<string, AttributeValue>?, Task<Page>> readPage)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        var pages = 0;
        var scanned = 0;
        var capacity = 0.0;
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var page = await readPage(startKey).ConfigureAwait(false);
            pages++;
            items.AddRange(page.Items ?? []);
            scanned += page.ScannedCount ?? 0;
            capacity += page.Capacity?.CapacityUnits ?? 0;
            startKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        } while (startKey is not null);
        return new ReadResult(request, items, pages, scanned, capacity);
    }

    private static string Required(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"A {name} is required.", name);
        return value.Trim();
    }
}

/// <summary>Exponential backoff with full jitter: a random delay up to 50 ms × 2^(attempt−1), capped at 5 s.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(5000, 50 * Math.Pow(2, Math.Min(attempt - 1, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
