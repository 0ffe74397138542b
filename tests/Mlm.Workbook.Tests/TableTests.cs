using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Mlm.Workbook.Presentation;

namespace Mlm.Workbook.Tests;

public class TableTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Created_table_has_the_exercise_keys_and_indexes()
    {
        var store = await dynamo.NewTableAsync("shape");
        var table = (await store.Client.DescribeTableAsync(store.TableName, Cancel)).Table;

        Assert.Equal("pk (HASH) + sk (RANGE)", TableDefinition.KeyText(table.KeySchema));
        Assert.Equal(BillingMode.PAY_PER_REQUEST, table.BillingModeSummary?.BillingMode);
        var globals = table.GlobalSecondaryIndexes.ToDictionary(i => i.IndexName, i => TableDefinition.KeyText(i.KeySchema));
        Assert.Equal(new Dictionary<string, string>
        {
            ["email-index"] = "email (HASH)",
            ["phone-index"] = "phone (HASH)",
            ["recruited_by-index"] = "recruited_by (HASH)",
            ["sale_date-sale_reference-index"] = "sale_date (HASH) + sale_reference (RANGE)",
        }, globals);
        var local = Assert.Single(table.LocalSecondaryIndexes);
        Assert.Equal("sale_reference-index", local.IndexName);
        Assert.Equal("pk (HASH) + sale_reference (RANGE)", TableDefinition.KeyText(local.KeySchema));
        Assert.All(table.GlobalSecondaryIndexes, i => Assert.Equal(ProjectionType.ALL, i.Projection.ProjectionType));
        Assert.Equal(ProjectionType.ALL, local.Projection.ProjectionType);
        Assert.Empty(TableDefinition.Differences(table));
    }

    [Fact]
    public async Task Creating_again_is_fine_and_says_it_created_nothing()
    {
        var store = await dynamo.NewTableAsync("again");
        Assert.False(await store.CreateTableAsync(Cancel));
        Assert.True(await TableDefinition.ExistsAsync(store.Client, store.TableName, Cancel));
    }

    [Fact]
    public async Task A_table_of_another_shape_is_an_error_naming_the_difference()
    {
        var client = dynamo.Client();
        var name = LocalDynamoDb.UniqueTableName("other-shape");
        var request = TableDefinition.CreateRequest(name);
        request.GlobalSecondaryIndexes.RemoveAll(i => i.IndexName == Indexes.Phone);
        request.AttributeDefinitions.RemoveAll(a => a.AttributeName == "phone");
        await client.CreateTableAsync(request, Cancel);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TableDefinition.CreateAsync(client, name, cancellationToken: Cancel));
        Assert.Contains("phone-index is missing", error.Message);
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public async Task Overview_shows_what_the_console_shows()
    {
        var (store, data) = await dynamo.SeededTableAsync("overview");
        var overview = await store.DescribeTableAsync(Cancel);

        Assert.Equal("pk (String)", overview.PartitionKey);
        Assert.Equal("sk (String)", overview.SortKey);
        Assert.Equal("On-demand", overview.CapacityMode);
        Assert.Equal("Active", overview.Status);
        Assert.Equal(data.Members.Count + data.Sales.Count, overview.ItemCount);
        Assert.True(overview.SizeBytes > 0);
        Assert.Equal(overview.SizeBytes / overview.ItemCount, overview.AverageItemSizeBytes);
        Assert.Equal(5, overview.Indexes.Count);
        Assert.Equal(4, overview.Indexes.Count(i => i.Kind == "Global"));
        var dateIndex = overview.Indexes.Single(i => i.Name == Indexes.SaleDate);
        Assert.Equal(("sale_date (String)", "sale_reference (String)", "All"), (dateIndex.PartitionKey, dateIndex.SortKey, dateIndex.ProjectedAttributes));
        // Only members with a recruiter are in the sparse recruited_by-index.
        Assert.Equal(data.Members.Count(m => m.RecruitedBy is not null), overview.Indexes.Single(i => i.Name == Indexes.RecruitedBy).ItemCount);

        var frame = Frames.IndexTable(overview);
        Assert.Equal(5, frame.Rows.Count);
        Assert.Equal(9, Frames.Overview(overview).Rows.Count);
    }

    [Fact]
    public async Task Delete_removes_the_table_and_a_missing_table_is_not_an_error()
    {
        var store = await dynamo.NewTableAsync("delete");
        Assert.True(await store.DeleteTableAsync(cancellationToken: Cancel));
        Assert.False(await TableDefinition.ExistsAsync(store.Client, store.TableName, Cancel));
        Assert.False(await store.DeleteTableAsync(cancellationToken: Cancel));
    }

    [Fact]
    public async Task Reading_a_missing_table_is_an_error_saying_how_to_create_it()
    {
        var store = new MlmStore(dynamo.Client(), LocalDynamoDb.UniqueTableName("missing"));
        var error = await Assert.ThrowsAsync<TableNotFoundException>(() => store.ScanAsync(Cancel));
        Assert.Contains($"Table \"{store.TableName}\" does not exist", error.Message);
        Assert.Contains("01-create-table", error.Message);
    }
}
