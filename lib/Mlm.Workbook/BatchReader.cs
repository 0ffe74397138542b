using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// Reads items by key in BatchGetItem requests of 100, strongly consistent, retrying unprocessed keys with the same
/// backoff as <see cref="BatchWriter"/>: how seeding compares a data set with the table a batch at a time.
/// </summary>
internal sealed class BatchReader(IAmazonDynamoDB client, string tableName)
{
    /// <summary>The most keys one BatchGetItem request may carry.</summary>
    public const int BatchSize = 100;

    /// <summary>The items of the table among these keys, by <c>pk|sk</c>; at most <see cref="BatchSize"/> keys.</summary>
    public async Task<Dictionary<string, Dictionary<string, AttributeValue>>> GetAsync(IReadOnlyList<Dictionary<string, AttributeValue>> keys, CancellationToken cancellationToken)
    {
        if (keys.Count > BatchSize) throw new ArgumentOutOfRangeException(nameof(keys), keys.Count, $"At most {BatchSize} keys per request.");
        var found = new Dictionary<string, Dictionary<string, AttributeValue>>(StringComparer.Ordinal);
        if (keys.Count == 0) return found;
        var pending = new Dictionary<string, KeysAndAttributes> { [tableName] = new() { Keys = keys.ToList(), ConsistentRead = true } };
        for (var attempt = 1; ; attempt++)
        {
            var request = new BatchGetItemRequest { RequestItems = pending };
            var response = await Resilience.CallAsync(client, tableName, token => client.BatchGetItemAsync(request, token), cancellationToken).ConfigureAwait(false);
            foreach (var item in response.Responses?.GetValueOrDefault(tableName) ?? []) found[Keys.KeyText(item)] = item;
            if (response.UnprocessedKeys is not { Count: > 0 } unprocessed || unprocessed.Values.All(k => k.Keys is not { Count: > 0 }))
                return found;
            if (attempt == BatchWriter.MaxUnprocessedAttempts)
                throw new AmazonDynamoDBException($"{unprocessed.Values.Sum(k => k.Keys.Count)} keys were still unprocessed after {attempt} BatchGetItem requests; the table may be overloaded.");
            pending = unprocessed;
            await Task.Delay(BatchWriter.Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }
}
