using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>Index names of the exercise's table.</summary>
public static class Indexes
{
    /// <summary>GSI: find a member by email.</summary>
    public const string Email = "email-index";
    /// <summary>GSI: find a member by phone.</summary>
    public const string Phone = "phone-index";
    /// <summary>GSI: a member's direct downline (sparse: the root has no recruiter).</summary>
    public const string RecruitedBy = "recruited_by-index";
    /// <summary>GSI: the sales of one day, ordered by sale reference.</summary>
    public const string SaleDate = "sale_date-sale_reference-index";
    /// <summary>LSI: a member's sales, ordered by sale reference, within the member's partition.</summary>
    public const string SaleReference = "sale_reference-index";
}

/// <summary>
/// The one source of the exercise's table: <c>pk</c>/<c>sk</c> strings, on-demand capacity,
/// four global secondary indexes and one local secondary index, all projecting every attribute.
/// </summary>
public static class TableDefinition
{
    /// <summary>The table name when <c>MLM_TABLE</c> does not give one.</summary>
    public const string DefaultTableName = "mlm";

    /// <summary>The request that creates the table.</summary>
    public static CreateTableRequest CreateRequest(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            StringAttribute(Keys.PartitionKey), StringAttribute(Keys.SortKey),
            StringAttribute(Attributes.Email), StringAttribute(Attributes.Phone),
            StringAttribute(Attributes.RecruitedBy), StringAttribute(Attributes.SaleDate),
            StringAttribute(Attributes.SaleReference),
        ],
        KeySchema = KeySchema(Keys.PartitionKey, Keys.SortKey),
        GlobalSecondaryIndexes =
        [
            GlobalIndex(Indexes.Email, Attributes.Email),
            GlobalIndex(Indexes.Phone, Attributes.Phone),
            GlobalIndex(Indexes.RecruitedBy, Attributes.RecruitedBy),
            GlobalIndex(Indexes.SaleDate, Attributes.SaleDate, Attributes.SaleReference),
        ],
        LocalSecondaryIndexes =
        [
            new LocalSecondaryIndex
            {
                IndexName = Indexes.SaleReference,
                KeySchema = KeySchema(Keys.PartitionKey, Attributes.SaleReference),
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
        ],
    };

    /// <summary>
    /// Creates the table unless it exists, then waits until it is ACTIVE.
    /// An existing table of the same shape is fine; one of another shape is an error naming the difference.
    /// </summary>
    /// <returns>True when this call created the table.</returns>
    /// <exception cref="InvalidOperationException">The table exists with a different shape.</exception>
    /// <exception cref="TimeoutException">The table did not become ACTIVE in time.</exception>
    public static async Task<bool> CreateAsync(IAmazonDynamoDB client, string tableName, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var existing = await TryDescribeAsync(client, tableName, cancellationToken).ConfigureAwait(false);
        var created = false;
        if (existing is null)
        {
            try
            {
                await Resilience.CallAsync(client, tableName, token => client.CreateTableAsync(CreateRequest(tableName), token), cancellationToken).ConfigureAwait(false);
                created = true;
            }
            catch (ResourceInUseException)
            {
                // Another caller created it between our describe and create; its shape is checked below.
            }
            existing = await TryDescribeAsync(client, tableName, cancellationToken).ConfigureAwait(false);
        }
        if (existing is not null)
        {
            var differences = Differences(existing);
            if (differences.Count > 0)
                throw new InvalidOperationException(
                    $"Table \"{tableName}\" exists with another shape: {string.Join("; ", differences)}. " +
                    "Delete it or set MLM_TABLE to another name.");
        }
        await WaitUntilActiveAsync(client, tableName, timeout, cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>Waits until the table and all its indexes are ACTIVE, polling with a growing delay.</summary>
    /// <exception cref="TimeoutException">Not active within the timeout (default two minutes).</exception>
    public static async Task WaitUntilActiveAsync(IAmazonDynamoDB client, string tableName, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        var started = DateTime.UtcNow;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var table = await TryDescribeAsync(client, tableName, cancellationToken).ConfigureAwait(false);
            if (table is not null && table.TableStatus == TableStatus.ACTIVE
                && (table.GlobalSecondaryIndexes ?? []).All(index => index.IndexStatus == IndexStatus.ACTIVE))
                return;
            if (DateTime.UtcNow - started > limit)
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Table \"{tableName}\" was not ACTIVE after {limit.TotalSeconds:0} s (status: {table?.TableStatus?.Value ?? "missing"})."));
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
        }
    }

    /// <summary>Deletes the table and waits until it is gone. A missing table is not an error.</summary>
    /// <returns>True when a table was deleted.</returns>
    public static async Task<bool> DeleteAsync(IAmazonDynamoDB client, string tableName, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await Resilience.CallAsync(client, tableName, token => client.DeleteTableAsync(new DeleteTableRequest { TableName = tableName }, token), cancellationToken).ConfigureAwait(false);
        }
        catch (TableNotFoundException)
        {
            return false;
        }
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        var started = DateTime.UtcNow;
        while (await TryDescribeAsync(client, tableName, cancellationToken).ConfigureAwait(false) is not null)
        {
            if (DateTime.UtcNow - started > limit)
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Table \"{tableName}\" was still there {limit.TotalSeconds:0} s after deleting it."));
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Whether the table exists.</summary>
    public static async Task<bool> ExistsAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken = default) =>
        await TryDescribeAsync(client, tableName, cancellationToken).ConfigureAwait(false) is not null;

    internal static async Task<TableDescription?> TryDescribeAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Resilience.CallAsync(client, tableName, token => client.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, token), cancellationToken).ConfigureAwait(false);
            return response.Table;
        }
        catch (TableNotFoundException)
        {
            return null;
        }
    }

    /// <summary>How an existing table differs from the definition, one phrase per difference; empty when it matches.</summary>
    public static IReadOnlyList<string> Differences(TableDescription actual)
    {
        var expected = CreateRequest(actual.TableName);
        var differences = new List<string>();
        Compare("table keys", KeyText(expected.KeySchema), KeyText(actual.KeySchema), differences);

        var expectedTypes = expected.AttributeDefinitions.ToDictionary(a => a.AttributeName, a => a.AttributeType.Value);
        foreach (var definition in actual.AttributeDefinitions ?? [])
            if (expectedTypes.TryGetValue(definition.AttributeName, out var type) && type != definition.AttributeType?.Value)
                differences.Add($"attribute {definition.AttributeName} is {definition.AttributeType?.Value}, expected {type}");

        var actualGlobal = (actual.GlobalSecondaryIndexes ?? []).ToDictionary(i => i.IndexName, i => IndexText(i.KeySchema, i.Projection));
        var expectedGlobal = expected.GlobalSecondaryIndexes.ToDictionary(i => i.IndexName, i => IndexText(i.KeySchema, i.Projection));
        CompareIndexes("global secondary index", expectedGlobal, actualGlobal, differences);

        var actualLocal = (actual.LocalSecondaryIndexes ?? []).ToDictionary(i => i.IndexName, i => IndexText(i.KeySchema, i.Projection));
        var expectedLocal = expected.LocalSecondaryIndexes.ToDictionary(i => i.IndexName, i => IndexText(i.KeySchema, i.Projection));
        CompareIndexes("local secondary index", expectedLocal, actualLocal, differences);
        return differences;
    }

    private static void CompareIndexes(string kind, Dictionary<string, string> expected, Dictionary<string, string> actual, List<string> differences)
    {
        foreach (var (name, shape) in expected)
        {
            if (!actual.TryGetValue(name, out var actualShape)) differences.Add($"{kind} {name} is missing");
            else Compare($"{kind} {name}", shape, actualShape, differences);
        }
        foreach (var name in actual.Keys.Except(expected.Keys))
            differences.Add($"{kind} {name} is not in the design");
    }

    private static void Compare(string what, string expected, string actual, List<string> differences)
    {
        if (expected != actual) differences.Add($"{what} are {actual}, expected {expected}");
    }

    private static string IndexText(List<KeySchemaElement>? keys, Projection? projection) =>
        $"{KeyText(keys)} projecting {projection?.ProjectionType?.Value ?? "nothing"}";

    /// <summary>A key schema as text: <c>pk (HASH) + sk (RANGE)</c>.</summary>
    public static string KeyText(List<KeySchemaElement>? keys) =>
        string.Join(" + ", (keys ?? []).OrderBy(k => k.KeyType == KeyType.HASH ? 0 : 1).Select(k => $"{k.AttributeName} ({k.KeyType?.Value})"));

    private static AttributeDefinition StringAttribute(string name) => new() { AttributeName = name, AttributeType = ScalarAttributeType.S };

    private static List<KeySchemaElement> KeySchema(string partitionKey, string? sortKey = null)
    {
        var keys = new List<KeySchemaElement> { new() { AttributeName = partitionKey, KeyType = KeyType.HASH } };
        if (sortKey is not null) keys.Add(new KeySchemaElement { AttributeName = sortKey, KeyType = KeyType.RANGE });
        return keys;
    }

    private static GlobalSecondaryIndex GlobalIndex(string name, string partitionKey, string? sortKey = null) => new()
    {
        IndexName = name,
        KeySchema = KeySchema(partitionKey, sortKey),
        Projection = new Projection { ProjectionType = ProjectionType.ALL },
    };
}
