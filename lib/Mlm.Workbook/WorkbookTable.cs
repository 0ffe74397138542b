using Amazon.DynamoDBv2;

namespace Mlm.Workbook;

/// <summary>
/// Administration of the store's table: creating, deleting (with confirmation where the store asks for it) and
/// resetting it, and never deleting a table that holds anything but the workbook's own data.
/// </summary>
internal sealed class WorkbookTable(MlmStore store)
{
    private readonly IAmazonDynamoDB _client = store.Client;
    private readonly string _tableName = store.TableName;

    public Task<bool> CreateAsync(CancellationToken cancellationToken) =>
        TableDefinition.CreateAsync(_client, _tableName, cancellationToken: cancellationToken);

    public Task<bool> DeleteAsync(string? confirmTableName, CancellationToken cancellationToken)
    {
        store.RequireConfirmation(confirmTableName, "delete");
        return TableDefinition.DeleteAsync(_client, _tableName, cancellationToken: cancellationToken);
    }

    /// <summary>The suffixes of the tables notebooks make beside the workbook's table (notebooks 8, 9, 12, 13 and 14).</summary>
    public static readonly IReadOnlyList<string> CompanionSuffixes = [AnalyticsTable.Suffix, "_scale", "_costs", "_designs", "_patterns"];

    /// <summary>See <see cref="MlmStore.DeleteWorkbookTablesAsync"/>.</summary>
    public async Task<IReadOnlyList<string>> DeleteAllAsync(string? confirmTableName, CancellationToken cancellationToken)
    {
        store.RequireConfirmation(confirmTableName, "delete");
        var exerciseCopies = DesignExercises.CopyName(_tableName, "");
        var names = new List<string>();
        string? start = null;
        do
        {
            var page = await Resilience.CallAsync(_client, _tableName, token => _client.ListTablesAsync(
                new Amazon.DynamoDBv2.Model.ListTablesRequest { ExclusiveStartTableName = start }, token), cancellationToken).ConfigureAwait(false);
            names.AddRange((page.TableNames ?? []).Where(name => name == _tableName
                || CompanionSuffixes.Any(suffix => name == _tableName + suffix) || name.StartsWith(exerciseCopies, StringComparison.Ordinal)));
            start = page.LastEvaluatedTableName;
        } while (start is not null);
        foreach (var name in names)
            await TableDefinition.DeleteAsync(_client, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return names;
    }

    /// <summary>See <see cref="MlmStore.ResetWorkbookTableAsync"/>.</summary>
    public async Task<bool> ResetAsync(string? confirmTableName, CancellationToken cancellationToken)
    {
        var existing = await TableDefinition.TryDescribeAsync(_client, _tableName, cancellationToken).ConfigureAwait(false);
        if (existing is null) return await CreateAsync(cancellationToken).ConfigureAwait(false);

        var differences = TableDefinition.Differences(existing);
        var scan = await new PagedReader(_client, _tableName).ScanAsync(null, cancellationToken).ConfigureAwait(false);
        var foreign = scan.Items.Where(item => !Keys.IsWorkbookItem(item)).ToList();
        if (differences.Count > 0 || foreign.Count > 0)
        {
            var what = differences.Count > 0
                ? $"has another shape ({string.Join("; ", differences)})"
                : $"holds {foreign.Count} of its {scan.Count} items that the workbook did not write, such as {Describe(foreign[0])}";
            throw new ForeignTableException(
                $"Table \"{_tableName}\" {what}, so the workbook will not delete it. Set MLM_TABLE to another table name for the workbook, " +
                $"or, if you are sure that table may go, delete it yourself (store.DeleteTableAsync(), or `seed --existing reset`) and run this again.");
        }
        if (store.ConfirmDeletes && confirmTableName != _tableName)
        {
            // On AWS without confirmation an existing table is kept as it is; it holds only workbook data.
            await TableDefinition.WaitUntilActiveAsync(_client, _tableName, cancellationToken: cancellationToken).ConfigureAwait(false);
            return false;
        }
        await TableDefinition.DeleteAsync(_client, _tableName, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await CreateAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(IReadOnlyDictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> item)
    {
        var key = string.Join(", ", item.Where(a => a.Key is Keys.PartitionKey or Keys.SortKey).OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => $"{a.Key}={Keys.Shorten(a.Value.S ?? a.Value.N ?? "?")}"));
        return key.Length > 0 ? key : "an item";
    }
}
