namespace Mlm.Workbook.Tests;

public class WriteTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Unprocessed_items_are_retried_until_every_item_is_written()
    {
        var handler = new UnprocessedItemsHandler(holdBackEvery: 3);
        var store = await dynamo.NewTableAsync("unprocessed", FaultyClients.Through(handler, dynamo.Endpoint));
        var data = FakeData.Generate(new FakeDataOptions(Members: 200, Sales: 100));
        var reported = new List<int>();

        var written = await store.SeedAsync(data, progress: new Presentation.ProgressCallback<int>(reported.Add), cancellationToken: Cancel);

        var itemCount = data.Members.Count + data.Sales.Count;
        Assert.Equal(itemCount, written);
        Assert.True(handler.ItemsHeldBack > 50, $"only {handler.ItemsHeldBack} items were held back");
        Assert.True(handler.BatchRequests > 12, $"{handler.BatchRequests} requests: the retries never happened");
        var scan = await new MlmStore(dynamo.Client(), store.TableName).ScanAsync(Cancel);
        Assert.Equal(data.Members.OrderBy(m => m.Id), scan.Members().OrderBy(m => m.Id));
        Assert.Equal(data.Sales, scan.Sales().OrderBy(s => s.Id));
        Assert.Equal(itemCount, reported[^1]);
        Assert.Equal(reported.Order(), reported);
    }

    [Fact]
    public async Task Writes_go_in_batches_of_25()
    {
        var handler = new UnprocessedItemsHandler(holdBackEvery: int.MaxValue);
        var store = await dynamo.NewTableAsync("batches", FaultyClients.Through(handler, dynamo.Endpoint));
        var data = FakeData.Generate();
        await store.SeedAsync(data, cancellationToken: Cancel);
        var items = data.Members.Count + data.Sales.Count;
        Assert.Equal((items + MlmStore.BatchSize - 1) / MlmStore.BatchSize, handler.BatchRequests);
        Assert.Equal(0, handler.ItemsHeldBack);
    }
}
