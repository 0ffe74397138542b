using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// Seeding policy: what seeding does with a table that already holds items (<see cref="ExistingItems"/>), and the guard
/// that keeps two seeds of different data from mixing. While a seed runs, a guard item (<see cref="Keys.SeedGuard"/>)
/// names its data set; it is put only if absent or naming the same data set, and deleted when the seed completes, so a
/// concurrent seed of other data is refused and a seed cut off half way is recognised and completed by running it again.
/// </summary>
internal sealed class Seeder(MlmStore store, BatchWriter writer)
{
    private readonly IAmazonDynamoDB _client = store.Client;
    private readonly string _tableName = store.TableName;

    public async Task<int> SeedAsync(SeedDataSet data, ExistingItems existing, IProgress<int>? progress, string? confirmTableName, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(existing)) throw new ArgumentOutOfRangeException(nameof(existing), existing, "Refuse, Reset or Keep.");
        if (existing == ExistingItems.Reset)
        {
            store.RequireConfirmation(confirmTableName, "reset");
            await TableDefinition.DeleteAsync(_client, _tableName, cancellationToken: cancellationToken).ConfigureAwait(false);
            await TableDefinition.CreateAsync(_client, _tableName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var resuming = await AcquireGuardAsync(data, cancellationToken).ConfigureAwait(false);
        int written;
        try
        {
            if (existing == ExistingItems.Reset || await IsEmptyAsync(cancellationToken).ConfigureAwait(false))
            {
                written = await writer.WriteAsync(data.Items(), progress, BatchWriter.DefaultConcurrency, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Checked in full before anything is written, then written a batch at a time: what is there already is never rewritten.
                var total = await CountOthersThanGuardAsync(cancellationToken).ConfigureAwait(false);
                var compared = await CompareAsync(data, existing, cancellationToken).ConfigureAwait(false);
                var foreign = total == compared.Present ? Foreign.None : await ForeignItemsAsync(data, cancellationToken).ConfigureAwait(false);
                if (existing == ExistingItems.Refuse) CheckRefuse(data, foreign, compared, resuming);
                else CheckKeep(data, foreign);
                written = compared.Missing == 0 ? 0 : await WriteMissingAsync(data, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SeedRefusedException) when (!resuming)
        {
            await ReleaseGuardAsync(data, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        await ReleaseGuardAsync(data, cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>Puts the guard item unless another data set's guard is there.</summary>
    /// <returns>True when this data set's guard was already there: a seed of the same data was cut off (or runs alongside).</returns>
    private async Task<bool> AcquireGuardAsync(SeedDataSet data, CancellationToken cancellationToken)
    {
        var guard = Keys.SeedGuardKey();
        guard[Attributes.DataSet] = ItemValues.S(data.Identity);
        guard[Attributes.DataSetDescription] = ItemValues.S(data.Description);
        guard[Attributes.CreatedAt] = ItemValues.S(DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var response = await Resilience.CallAsync(_client, _tableName, token => _client.PutItemAsync(new PutItemRequest
            {
                TableName = _tableName,
                Item = guard,
                ConditionExpression = "attribute_not_exists(pk) OR #set = :set",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#set"] = Attributes.DataSet },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":set"] = ItemValues.S(data.Identity) },
                ReturnValues = ReturnValue.ALL_OLD,
            }, token), cancellationToken).ConfigureAwait(false);
            return response.Attributes is { Count: > 0 };
        }
        catch (ConditionalCheckFailedException)
        {
            var other = await Resilience.CallAsync(_client, _tableName, token => _client.GetItemAsync(new GetItemRequest
            {
                TableName = _tableName, Key = Keys.SeedGuardKey(), ConsistentRead = true,
            }, token), cancellationToken).ConfigureAwait(false);
            var description = other.Item is { Count: > 0 } item ? ItemValues.OptionalString(item, Attributes.DataSetDescription) : null;
            throw new SeedRefusedException(
                $"Another seed of table \"{_tableName}\" is under way or was cut off: {description ?? "another data set"}. " +
                $"This one ({data.Description}) would mix with it, so nothing was written. Wait for it, or run that same seed again to complete it, " +
                "or seed with ExistingItems.Reset (--existing reset) to start from an empty table.");
        }
    }

    private async Task ReleaseGuardAsync(SeedDataSet data, CancellationToken cancellationToken)
    {
        try
        {
            await Resilience.CallAsync(_client, _tableName, token => _client.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = _tableName,
                Key = Keys.SeedGuardKey(),
                ConditionExpression = "#set = :set",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#set"] = Attributes.DataSet },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":set"] = ItemValues.S(data.Identity) },
            }, token), cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // A seed of the same data running alongside released it first.
        }
    }

    /// <summary>What the table holds of a data set, compared item by item.</summary>
    private sealed record Compared(int PresentMembers, int PresentSales, int Missing, int ExpectedMembers, int ExpectedSales)
    {
        public int Present => PresentMembers + PresentSales;
    }

    /// <summary>The table's items that are not the data set's (the guard aside), and the data set's items the table lacks, by key.</summary>
    private sealed record Foreign(IReadOnlyList<string> Keys, IReadOnlySet<string> MissingKeys, IReadOnlyDictionary<string, string> SaleOwners)
    {
        public static readonly Foreign None = new([], new HashSet<string>(), new Dictionary<string, string>());
    }

    private async Task<bool> IsEmptyAsync(CancellationToken cancellationToken) => await CountOthersThanGuardAsync(cancellationToken).ConfigureAwait(false) == 0;

    /// <summary>Counts the table's items, the guard aside, page by page without holding them.</summary>
    private async Task<long> CountOthersThanGuardAsync(CancellationToken cancellationToken)
    {
        long count = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var request = new ScanRequest
            {
                TableName = _tableName, Select = Select.COUNT, ExclusiveStartKey = start,
                FilterExpression = "pk <> :guard", ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":guard"] = ItemValues.S(Keys.SeedGuard) },
            };
            var page = await Resilience.CallAsync(_client, _tableName, token => _client.ScanAsync(request, token), cancellationToken).ConfigureAwait(false);
            count += page.Count ?? 0;
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        } while (start is not null);
        return count;
    }

    /// <summary>
    /// The items that are not the data set's, read only when the count says there are some: the data set's keys and the
    /// table's are held then (keys, not items) to name them.
    /// </summary>
    private async Task<Foreign> ForeignItemsAsync(SeedDataSet data, CancellationToken cancellationToken)
    {
        var dataKeys = data.Items().Select(Keys.KeyText).ToHashSet(StringComparer.Ordinal);
        var scan = await new PagedReader(_client, _tableName).ScanAsync("pk, sk", cancellationToken).ConfigureAwait(false);
        var tableKeys = scan.Items.Where(item => item[Keys.PartitionKey].S != Keys.SeedGuard).ToList();
        var foreign = tableKeys.Where(item => !dataKeys.Contains(Keys.KeyText(item))).ToList();
        dataKeys.ExceptWith(tableKeys.Select(Keys.KeyText));
        return new Foreign(foreign.Select(Keys.KeyText).ToList(), dataKeys,
            foreign.Where(Sale.IsSale).GroupBy(item => item[Keys.SortKey].S, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First()[Keys.PartitionKey].S, StringComparer.Ordinal));
    }

    /// <summary>Compares the data set with the table a batch at a time: an item there with other values is refused, its key and the difference named.</summary>
    private async Task<Compared> CompareAsync(SeedDataSet data, ExistingItems existing, CancellationToken cancellationToken)
    {
        int presentMembers = 0, presentSales = 0, missing = 0, expectedMembers = 0, expectedSales = 0;
        var reader = new BatchReader(_client, _tableName);
        foreach (var batch in data.Items().Chunk(BatchReader.BatchSize))
        {
            var found = await reader.GetAsync(batch.Select(KeyOf).ToList(), cancellationToken).ConfigureAwait(false);
            foreach (var item in batch)
            {
                var key = Keys.KeyText(item);
                var isMember = Member.IsMember(item);
                if (isMember) expectedMembers++;
                else if (Sale.IsSale(item)) expectedSales++;
                if (!found.TryGetValue(key, out var there))
                {
                    missing++;
                    continue;
                }
                if (ItemComparison.Difference(there, item) is { } difference)
                    throw new SeedRefusedException(existing == ExistingItems.Keep
                        ? $"Seeding {data.Description} with ExistingItems.Keep (--existing keep) would overwrite item {key} of table \"{_tableName}\" ({difference}). " +
                          "Keep adds only items that are not there yet; use ExistingItems.Reset (--existing reset) to replace the table's data; nothing was written."
                        : $"Table \"{_tableName}\" was seeded with other options: its item {key} differs ({difference}). This data set is {data.Description}. " +
                          "Seed with the same --seed, --date, --users and --sales as before, or with ExistingItems.Reset (--existing reset) to start from an empty table; nothing was written.");
                if (isMember) presentMembers++;
                else presentSales++;
            }
        }
        return new Compared(presentMembers, presentSales, missing, expectedMembers, expectedSales);
    }

    /// <summary>Keep: a missing sale is never added where another member's sale holds its id (sale ids stay unique).</summary>
    private void CheckKeep(SeedDataSet data, Foreign foreign)
    {
        if (foreign.SaleOwners.Count == 0) return;
        foreach (var item in data.Items().Where(Sale.IsSale))
        {
            if (foreign.MissingKeys.Contains(Keys.KeyText(item)) && foreign.SaleOwners.TryGetValue(item[Keys.SortKey].S, out var owner))
                throw new SeedRefusedException(
                    $"Seeding {data.Description} with ExistingItems.Keep (--existing keep) would add a second {item[Keys.SortKey].S} (for {item[Keys.PartitionKey].S}; " +
                    $"table \"{_tableName}\" has it for {owner}), and sale ids must stay unique. Use ExistingItems.Reset (--existing reset) instead; nothing was written.");
        }
    }

    /// <summary>Refuse: no item but the data set's; a table holding only part of it is completed only when that seed was cut off.</summary>
    private void CheckRefuse(SeedDataSet data, Foreign foreign, Compared compared, bool resuming)
    {
        if (foreign.Keys.Count > 0)
            throw new SeedRefusedException(
                $"Table \"{_tableName}\" holds {foreign.Keys.Count} items that are not part of this data set ({data.Description}), such as {foreign.Keys[0]}. " +
                "Seed with ExistingItems.Reset (--existing reset) to start from an empty table, or ExistingItems.Keep (--existing keep) to add to them; nothing was written.");
        if (compared.Missing > 0 && compared.Present > 0 && !resuming)
            throw new SeedRefusedException(
                $"Table \"{_tableName}\" holds a smaller data set, {compared.PresentMembers} members and {compared.PresentSales} sales, all part of this one ({data.Description}: " +
                $"{compared.ExpectedMembers} members and {compared.ExpectedSales} sales). Seed with the size used before, or with ExistingItems.Keep (--existing keep) to add the rest, " +
                "or ExistingItems.Reset (--existing reset) to start from an empty table; nothing was written.");
    }

    /// <summary>Writes the data set's items that the table lacks, found a batch at a time, so memory holds one batch, not the table.</summary>
    private async Task<int> WriteMissingAsync(SeedDataSet data, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var reader = new BatchReader(_client, _tableName);
        var written = 0;
        var total = progress is null ? null : new Presentation.ProgressCallback<int>(count => progress.Report(written + count));
        var pending = new List<Dictionary<string, AttributeValue>>();
        foreach (var batch in data.Items().Chunk(BatchReader.BatchSize))
        {
            var found = await reader.GetAsync(batch.Select(KeyOf).ToList(), cancellationToken).ConfigureAwait(false);
            pending.AddRange(batch.Where(item => !found.ContainsKey(Keys.KeyText(item))));
            if (pending.Count < 10 * BatchWriter.BatchSize) continue;
            written += await writer.WriteAsync(pending, total, BatchWriter.DefaultConcurrency, cancellationToken).ConfigureAwait(false);
            pending = [];
        }
        written += await writer.WriteAsync(pending, total, BatchWriter.DefaultConcurrency, cancellationToken).ConfigureAwait(false);
        return written;
    }

    private static Dictionary<string, AttributeValue> KeyOf(Dictionary<string, AttributeValue> item) =>
        Keys.ItemKey(item[Keys.PartitionKey].S, item[Keys.SortKey].S);
}

/// <summary>What seeding does with items already in the table.</summary>
public enum ExistingItems
{
    /// <summary>
    /// Refuse to seed unless every item in the table is one of the data set's, with the same values (the default: never a
    /// silent mix). The message names the first difference.
    /// </summary>
    Refuse,
    /// <summary>Delete and re-create the table first, so it holds exactly the data set.</summary>
    Reset,
    /// <summary>Keep them and add the data set's items that are not there yet; refused where an item would be overwritten or a sale id repeated.</summary>
    Keep,
}
