using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook.Tests;

/// <summary>Notebook 01's reset: an empty table of the design, and never the loss of a table holding anything else.</summary>
public class ResetTableTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_table_holding_only_workbook_data_is_reset_to_empty()
    {
        var (store, data) = await dynamo.SeededTableAsync("reset-own");
        await store.RegisterMemberAsync(new Member(Keys.Id(data.Members.Count + 1), "001", "Ada", "ada@example.com", "555-0199", "Here", "2025-02-20T00:00:00.000000"), Cancel);

        Assert.True(await store.ResetWorkbookTableAsync(cancellationToken: Cancel));

        Assert.Empty(await store.KeysAsync(Cancel));
        Assert.Empty(TableDefinition.Differences((await store.Client.DescribeTableAsync(store.TableName, Cancel)).Table));
    }

    [Fact]
    public async Task A_missing_table_is_created()
    {
        var store = new MlmStore(dynamo.Client(), LocalDynamoDb.UniqueTableName("reset-missing"));
        Assert.True(await store.ResetWorkbookTableAsync(cancellationToken: Cancel));
        Assert.True(await TableDefinition.ExistsAsync(store.Client, store.TableName, Cancel));
    }

    [Fact]
    public async Task A_table_holding_other_data_is_never_deleted_and_the_error_says_what_to_do()
    {
        var (store, data) = await dynamo.SeededTableAsync("reset-foreign");
        var foreign = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "ORDER#77" }, ["sk"] = new() { S = "LINE#1" }, ["qty"] = new() { N = "3" } };
        await store.Client.PutItemAsync(new PutItemRequest { TableName = store.TableName, Item = foreign }, Cancel);
        var before = (await store.KeysAsync(Cancel)).Order(StringComparer.Ordinal).ToList();

        var refused = await Assert.ThrowsAsync<ForeignTableException>(() => store.ResetWorkbookTableAsync(cancellationToken: Cancel));

        Assert.Contains($"holds 1 of its {data.Members.Count + data.Sales.Count + 1} items that the workbook did not write", refused.Message);
        Assert.Contains("pk=ORDER#77, sk=LINE#1", refused.Message);
        Assert.Contains("MLM_TABLE", refused.Message);
        Assert.Contains("--existing reset", refused.Message);
        Assert.Equal(before, (await store.KeysAsync(Cancel)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_table_of_another_shape_is_never_deleted()
    {
        var name = LocalDynamoDb.UniqueTableName("reset-shape");
        var client = dynamo.Client();
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition { AttributeName = "id", AttributeType = Amazon.DynamoDBv2.ScalarAttributeType.S }],
            KeySchema = [new KeySchemaElement { AttributeName = "id", KeyType = Amazon.DynamoDBv2.KeyType.HASH }],
        }, Cancel);
        var store = new MlmStore(client, name);

        var refused = await Assert.ThrowsAsync<ForeignTableException>(() => store.ResetWorkbookTableAsync(cancellationToken: Cancel));

        Assert.Contains("has another shape", refused.Message);
        Assert.True(await TableDefinition.ExistsAsync(client, name, Cancel));
    }

    [Fact]
    public async Task Where_deletes_need_confirmation_an_existing_table_is_kept()
    {
        var (seeded, data) = await dynamo.SeededTableAsync("reset-confirm");
        var guarded = new MlmStore(dynamo.Client(), seeded.TableName, confirmDeletes: true);

        Assert.False(await guarded.ResetWorkbookTableAsync(cancellationToken: Cancel));
        Assert.Equal(data.Members.Count + data.Sales.Count, (await guarded.KeysAsync(Cancel)).Count);

        Assert.True(await guarded.ResetWorkbookTableAsync(seeded.TableName, Cancel));
        Assert.Empty(await guarded.KeysAsync(Cancel));
    }
}

/// <summary>Notebook 15's clean-up: the workbook's table and every table the notebooks make beside it.</summary>
public class DeleteWorkbookTablesTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deleting_the_workbook_tables_takes_the_scale_costs_designs_and_exercise_tables_and_nothing_else()
    {
        var main = await dynamo.NewTableAsync("cleanup");
        var companions = new[] { "_analytics", "_scale", "_costs", "_designs", "_patterns", "-exercise-13-2" }.Select(suffix => main.TableName + suffix).ToList();
        foreach (var name in companions.Append(main.TableName + "_other"))
            await new MlmStore(main.Client, name).CreateTableAsync(Cancel);
        var guarded = new MlmStore(main.Client, main.TableName, confirmDeletes: true);

        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => guarded.DeleteWorkbookTablesAsync(cancellationToken: Cancel));
        var deleted = await guarded.DeleteWorkbookTablesAsync(main.TableName, Cancel);

        Assert.Equal(companions.Append(main.TableName).Order(StringComparer.Ordinal), deleted.Order(StringComparer.Ordinal));
        foreach (var name in deleted) Assert.False(await TableDefinition.ExistsAsync(main.Client, name, Cancel), name);
        Assert.True(await TableDefinition.ExistsAsync(main.Client, main.TableName + "_other", Cancel));
    }
}
