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
            IEnumerable<Dictionary<string, AttributeValue>> items;
            if (existing == ExistingItems.Reset)
            {
                items = data.Items();
            }
            else
            {
                var present = await PresentItemsAsync(cancellationToken).ConfigureAwait(false);
                items = existing == ExistingItems.Refuse
                    ? CheckRefuse(data, present, resuming)
                    : CheckKeep(data, present);
            }
            written = await writer.WriteAsync(items, progress, BatchWriter.DefaultConcurrency, cancellationToken).ConfigureAwait(false);
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

    private async Task<Dictionary<string, Dictionary<string, AttributeValue>>> PresentItemsAsync(CancellationToken cancellationToken)
    {
        var scan = await new PagedReader(_client, _tableName).ScanAsync(null, cancellationToken).ConfigureAwait(false);
        return scan.Items.Where(item => item[Keys.PartitionKey].S != Keys.SeedGuard)
            .ToDictionary(Keys.KeyText, StringComparer.Ordinal);
    }

    /// <summary>Refuse: every item in the table must be one of the data set's, equal to it; a table holding only part of the data set is completed only when that seed was cut off.</summary>
    private IEnumerable<Dictionary<string, AttributeValue>> CheckRefuse(SeedDataSet data, Dictionary<string, Dictionary<string, AttributeValue>> present, bool resuming)
    {
        if (present.Count == 0) return data.Items();
        var expectedKeys = new HashSet<string>(StringComparer.Ordinal);
        var expectedMembers = 0;
        var expectedSales = 0;
        foreach (var item in data.Items())
        {
            var key = Keys.KeyText(item);
            expectedKeys.Add(key);
            if (Member.IsMember(item)) expectedMembers++;
            else if (Sale.IsSale(item)) expectedSales++;
            if (present.TryGetValue(key, out var there) && ItemComparison.Difference(there, item) is { } difference)
                throw new SeedRefusedException(
                    $"Table \"{_tableName}\" was seeded with other options: its item {key} differs ({difference}). This data set is {data.Description}. " +
                    "Seed with the same --seed, --date, --users and --sales as before, or with ExistingItems.Reset (--existing reset) to start from an empty table; nothing was written.");
        }
        var others = present.Keys.Where(key => !expectedKeys.Contains(key)).ToList();
        if (others.Count > 0)
            throw new SeedRefusedException(
                $"Table \"{_tableName}\" holds {others.Count} items that are not part of this data set ({data.Description}), such as {others[0]}. " +
                "Seed with ExistingItems.Reset (--existing reset) to start from an empty table, or ExistingItems.Keep (--existing keep) to add to them; nothing was written.");
        if (present.Count < expectedKeys.Count && !resuming)
        {
            var members = present.Values.Count(Member.IsMember);
            var sales = present.Values.Count(Sale.IsSale);
            throw new SeedRefusedException(
                $"Table \"{_tableName}\" holds a smaller data set, {members} members and {sales} sales, all part of this one ({data.Description}: " +
                $"{expectedMembers} members and {expectedSales} sales). Seed with the size used before, or with ExistingItems.Keep (--existing keep) to add the rest, " +
                "or ExistingItems.Reset (--existing reset) to start from an empty table; nothing was written.");
        }
        return data.Items();
    }

    /// <summary>Keep: the items already there stay as they are; only the data set's missing items are written, and never one that would replace or duplicate another.</summary>
    private IEnumerable<Dictionary<string, AttributeValue>> CheckKeep(SeedDataSet data, Dictionary<string, Dictionary<string, AttributeValue>> present)
    {
        if (present.Count == 0) return data.Items();
        var saleOwners = present.Values.Where(Sale.IsSale).GroupBy(item => item[Keys.SortKey].S, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[Keys.PartitionKey].S, StringComparer.Ordinal);
        var missing = 0;
        foreach (var item in data.Items())
        {
            var key = Keys.KeyText(item);
            if (present.TryGetValue(key, out var there))
            {
                if (ItemComparison.Difference(there, item) is { } difference)
                    throw new SeedRefusedException(
                        $"Seeding {data.Description} with ExistingItems.Keep (--existing keep) would overwrite item {key} of table \"{_tableName}\" ({difference}). " +
                        "Keep adds only items that are not there yet; use ExistingItems.Reset (--existing reset) to replace the table's data; nothing was written.");
                continue;
            }
            if (Sale.IsSale(item) && saleOwners.TryGetValue(item[Keys.SortKey].S, out var owner))
                throw new SeedRefusedException(
                    $"Seeding {data.Description} with ExistingItems.Keep (--existing keep) would add a second {item[Keys.SortKey].S} (for {item[Keys.PartitionKey].S}; " +
                    $"table \"{_tableName}\" has it for {owner}), and sale ids must stay unique. Use ExistingItems.Reset (--existing reset) instead; nothing was written.");
            missing++;
        }
        return missing == 0 ? [] : data.Items().Where(item => !present.ContainsKey(Keys.KeyText(item)));
    }
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
