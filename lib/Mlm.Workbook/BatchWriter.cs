using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// Puts any number of items in BatchWriteItem requests of 25, several requests at a time. The SDK retries failed
/// requests (see <see cref="ClientPolicy"/>); items DynamoDB leaves unprocessed in a successful answer are sent again
/// here, after an exponential, jittered delay. Items are read lazily, a batch at a time, so memory stays flat.
/// </summary>
public sealed class BatchWriter
{
    /// <summary>The most items one BatchWriteItem request may carry.</summary>
    public const int BatchSize = 25;

    /// <summary>BatchWriteItem requests in flight at once by default.</summary>
    public const int DefaultConcurrency = 4;

    /// <summary>Requests per batch, the first included, while DynamoDB keeps leaving items unprocessed.</summary>
    public const int MaxUnprocessedAttempts = 10;

    private readonly IAmazonDynamoDB _client;
    private readonly string _tableName;

    /// <summary>A writer for one table.</summary>
    public BatchWriter(IAmazonDynamoDB client, string tableName)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _tableName = tableName;
    }

    /// <summary>Puts the items.</summary>
    /// <param name="items">Items to put, read once.</param>
    /// <param name="progress">Told the running total of items written, in increasing order, after each request.</param>
    /// <param name="concurrency">How many requests may be in flight at once; 1 writes strictly in order.</param>
    /// <param name="cancellationToken">Stops between requests.</param>
    /// <returns>How many items were written.</returns>
    public async Task<int> WriteAsync(IEnumerable<Dictionary<string, AttributeValue>> items, IProgress<int>? progress = null,
        int concurrency = DefaultConcurrency, CancellationToken cancellationToken = default)
    {
        if (items is null) throw new ArgumentNullException(nameof(items));
        if (concurrency < 1) throw new ArgumentOutOfRangeException(nameof(concurrency), concurrency, "At least one request must be allowed in flight.");
        var written = 0;
        var gate = new object();
        await Parallel.ForEachAsync(Chunk(items, BatchSize), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                await WriteBatchAsync(batch, token).ConfigureAwait(false);
                lock (gate)
                {
                    written += batch.Count;
                    progress?.Report(written);
                }
            }).ConfigureAwait(false);
        return written;
    }

    private async Task WriteBatchAsync(List<WriteRequest> batch, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<string, List<WriteRequest>> { [_tableName] = batch };
        for (var attempt = 1; ; attempt++)
        {
            var request = new BatchWriteItemRequest { RequestItems = pending };
            var response = await Resilience.CallAsync(_client, _tableName, token => _client.BatchWriteItemAsync(request, token), cancellationToken).ConfigureAwait(false);
            if (response.UnprocessedItems is not { Count: > 0 } unprocessed || unprocessed.Values.All(list => list.Count == 0))
                return;
            if (attempt == MaxUnprocessedAttempts)
                throw new AmazonDynamoDBException(
                    $"{unprocessed.Values.Sum(list => list.Count)} items were still unprocessed after {MaxUnprocessedAttempts} BatchWriteItem requests; the table may be overloaded.");
            pending = unprocessed;
            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Full jitter: a random delay up to 50 ms × 2^(attempt−1), capped at 5 s.</summary>
    internal static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(5000, 50 * Math.Pow(2, Math.Min(attempt - 1, 16))));

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
}
