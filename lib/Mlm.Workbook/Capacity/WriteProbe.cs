using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook.Capacity;

/// <summary>One item write made for a lesson: what AWS's rules say it costs, and what the endpoint reported, per table and index.</summary>
/// <param name="Aws">The cost by AWS's rules.</param>
/// <param name="Reported">Write units the endpoint reported, by table or index name (DynamoDB Local's own figures when local).</param>
public sealed record MeasuredWrite(WriteCost Aws, IReadOnlyDictionary<string, double> Reported);

/// <summary>
/// Writes single items with <c>ReturnConsumedCapacity = INDEXES</c>, so that a lesson can set the write units AWS's rules
/// give (<see cref="CapacityRules.PutCost"/>) beside those the endpoint reports for the table and each index.
/// </summary>
public static class WriteProbe
{
    /// <summary>Puts an item (replacing any item with its key) and reports both figures.</summary>
    /// <param name="client">The DynamoDB client.</param>
    /// <param name="tableName">The table, of the workbook's design (see <see cref="IndexShape.OfWorkbookTable"/>).</param>
    /// <param name="item">The item to put.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public static async Task<MeasuredWrite> PutAsync(IAmazonDynamoDB client, string tableName, Dictionary<string, AttributeValue> item, CancellationToken cancellationToken = default)
    {
        if (client is null) throw new ArgumentNullException(nameof(client));
        if (item is null) throw new ArgumentNullException(nameof(item));
        var response = await client.PutItemAsync(new PutItemRequest
        {
            TableName = tableName,
            Item = item,
            ReturnValues = ReturnValue.ALL_OLD,
            ReturnConsumedCapacity = ReturnConsumedCapacity.INDEXES,
        }, cancellationToken).ConfigureAwait(false);
        var previous = response.Attributes is { Count: > 0 } old ? old : null;
        return new MeasuredWrite(CapacityRules.PutCost(IndexShape.OfWorkbookTable(), item, previous, tableName: tableName), Reported(response.ConsumedCapacity, tableName));
    }

    /// <summary>Deletes an item and reports both figures.</summary>
    public static async Task<MeasuredWrite> DeleteAsync(IAmazonDynamoDB client, string tableName, Dictionary<string, AttributeValue> key, CancellationToken cancellationToken = default)
    {
        if (client is null) throw new ArgumentNullException(nameof(client));
        var response = await client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = tableName,
            Key = key,
            ReturnValues = ReturnValue.ALL_OLD,
            ReturnConsumedCapacity = ReturnConsumedCapacity.INDEXES,
        }, cancellationToken).ConfigureAwait(false);
        var old = response.Attributes is { Count: > 0 } attributes ? attributes : key;
        return new MeasuredWrite(CapacityRules.DeleteCost(IndexShape.OfWorkbookTable(), old, tableName: tableName), Reported(response.ConsumedCapacity, tableName));
    }

    private static Dictionary<string, double> Reported(ConsumedCapacity? capacity, string tableName)
    {
        var reported = new Dictionary<string, double>(StringComparer.Ordinal);
        if (capacity is null) return reported;
        reported[tableName] = capacity.Table?.CapacityUnits ?? capacity.CapacityUnits ?? 0;
        foreach (var (name, units) in capacity.GlobalSecondaryIndexes ?? []) reported[name] = units.CapacityUnits ?? 0;
        foreach (var (name, units) in capacity.LocalSecondaryIndexes ?? []) reported[name] = units.CapacityUnits ?? 0;
        return reported;
    }
}
