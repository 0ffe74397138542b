using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>What the AWS console's Overview tab shows of a table.</summary>
/// <param name="TableName">The table's name.</param>
/// <param name="PartitionKey">Partition key with its type, <c>pk (String)</c>.</param>
/// <param name="SortKey">Sort key with its type, <c>sk (String)</c>, or "-".</param>
/// <param name="CapacityMode">"On-demand" or "Provisioned".</param>
/// <param name="Status">Table status, such as "Active".</param>
/// <param name="PointInTimeRecovery">"On", "Off", or "Unknown" where the endpoint does not say.</param>
/// <param name="ItemCount">Items in the table (the service refreshes this about every six hours).</param>
/// <param name="SizeBytes">Table size in bytes.</param>
/// <param name="AverageItemSizeBytes">Size divided by item count, 0 for an empty table.</param>
/// <param name="Indexes">The Indexes tab: every global and local secondary index.</param>
public sealed record TableOverview(
    string TableName, string PartitionKey, string SortKey, string CapacityMode, string Status,
    string PointInTimeRecovery, long ItemCount, long SizeBytes, long AverageItemSizeBytes,
    IReadOnlyList<IndexOverview> Indexes)
{
    /// <summary>
    /// True on AWS, where the item count and sizes are refreshed only about every six hours, so a table just loaded
    /// may show 0; DynamoDB Local's are current.
    /// </summary>
    public bool StatisticsMayLag { get; init; }

    /// <summary>Reads the table's description, and its backup settings where the endpoint has them.</summary>
    /// <exception cref="TableNotFoundException">No such table.</exception>
    public static async Task<TableOverview> ReadAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken = default)
    {
        var table = (await Resilience.CallAsync(client, tableName, token => client.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, token), cancellationToken).ConfigureAwait(false)).Table;
        var types = (table.AttributeDefinitions ?? []).ToDictionary(a => a.AttributeName, a => TypeName(a.AttributeType));
        string Key(List<KeySchemaElement>? keys, KeyType type) =>
            keys?.FirstOrDefault(k => k.KeyType == type) is { } key ? $"{key.AttributeName} ({types.GetValueOrDefault(key.AttributeName, "?")})" : "-";

        var onDemand = table.BillingModeSummary?.BillingMode == BillingMode.PAY_PER_REQUEST
            || (table.ProvisionedThroughput?.ReadCapacityUnits ?? 0) == 0;
        var capacity = onDemand ? "On-demand" : "Provisioned";
        var indexes = new List<IndexOverview>();
        foreach (var index in table.GlobalSecondaryIndexes ?? [])
            indexes.Add(new IndexOverview(index.IndexName, "Global", Key(index.KeySchema, KeyType.HASH), Key(index.KeySchema, KeyType.RANGE),
                ProjectionName(index.Projection), Title(index.IndexStatus?.Value ?? "ACTIVE"), capacity, index.IndexSizeBytes ?? 0, index.ItemCount ?? 0));
        foreach (var index in table.LocalSecondaryIndexes ?? [])
            indexes.Add(new IndexOverview(index.IndexName, "Local", Key(index.KeySchema, KeyType.HASH), Key(index.KeySchema, KeyType.RANGE),
                ProjectionName(index.Projection), Title(table.TableStatus?.Value ?? "ACTIVE"), capacity, index.IndexSizeBytes ?? 0, index.ItemCount ?? 0));

        var itemCount = table.ItemCount ?? 0;
        var size = table.TableSizeBytes ?? 0;
        return new TableOverview(
            table.TableName, Key(table.KeySchema, KeyType.HASH), Key(table.KeySchema, KeyType.RANGE), capacity,
            Title(table.TableStatus?.Value ?? "UNKNOWN"), await PointInTimeRecoveryAsync(client, tableName, cancellationToken).ConfigureAwait(false),
            itemCount, size, itemCount == 0 ? 0 : size / itemCount, indexes) { StatisticsMayLag = Endpoints.IsAws(client) };
    }

    private static async Task<string> PointInTimeRecoveryAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        try
        {
            var backups = await client.DescribeContinuousBackupsAsync(new DescribeContinuousBackupsRequest { TableName = tableName }, cancellationToken).ConfigureAwait(false);
            return backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus == PointInTimeRecoveryStatus.ENABLED ? "On" : "Off";
        }
        catch (AmazonDynamoDBException)
        {
            // Some endpoints (older DynamoDB Local builds) do not implement backups.
            return "Unknown";
        }
    }

    private static string TypeName(ScalarAttributeType? type) =>
        type == ScalarAttributeType.S ? "String" : type == ScalarAttributeType.N ? "Number" : type == ScalarAttributeType.B ? "Binary" : "?";

    private static string ProjectionName(Projection? projection) =>
        projection?.ProjectionType == ProjectionType.ALL ? "All"
        : projection?.ProjectionType == ProjectionType.KEYS_ONLY ? "Keys only"
        : "Include " + string.Join(", ", projection?.NonKeyAttributes ?? []);

    private static string Title(string status) => status.Length == 0 ? status : status[0] + status.Substring(1).ToLowerInvariant();
}

/// <summary>One row of the console's Indexes tab.</summary>
/// <param name="Name">Index name.</param>
/// <param name="Kind">"Global" or "Local".</param>
/// <param name="PartitionKey">Partition key with its type.</param>
/// <param name="SortKey">Sort key with its type, or "-".</param>
/// <param name="ProjectedAttributes">"All", "Keys only" or the included attributes.</param>
/// <param name="Status">Index status, such as "Active".</param>
/// <param name="Capacity">"On-demand" or "Provisioned", as the table.</param>
/// <param name="SizeBytes">Index size in bytes.</param>
/// <param name="ItemCount">Items in the index.</param>
public sealed record IndexOverview(
    string Name, string Kind, string PartitionKey, string SortKey, string ProjectedAttributes,
    string Status, string Capacity, long SizeBytes, long ItemCount);
