using Amazon.DynamoDBv2;

namespace Mlm.Workbook.Tests;

public class FaultTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_load_under_random_faults_ends_with_exactly_the_expected_items_and_reads_retry()
    {
        // One distinct request in four fails, in turn throttled, a 500, dropped before and dropped after the write happened,
        // and batches come back with items unprocessed. Every faulted request goes through on its first retry.
        var faults = new FaultInjectingHandler(FaultInjectingHandler.Every(4, Fault.Throttle, Fault.ServerError, Fault.DropBefore, Fault.DropAfter),
            new UnprocessedItemsHandler(holdBackEvery: 4));
        var store = await dynamo.NewTableAsync("faults");
        var faulty = new MlmStore(FaultyClients.Through(faults, dynamo.Endpoint), store.TableName);
        var data = FakeData.Generate(new FakeDataOptions(Members: 8_000, Sales: 2_000));

        var itemCount = data.Members.Count + data.Sales.Count;
        Assert.Equal(itemCount, await faulty.SeedAsync(data, cancellationToken: Cancel));

        Assert.True(faults.Throttled > 0 && faults.ServerErrors > 0 && faults.DroppedBefore > 0 && faults.DroppedAfter > 0,
            $"faults injected: {faults.Throttled} throttled, {faults.ServerErrors} 500s, {faults.DroppedBefore}+{faults.DroppedAfter} dropped");
        var expected = data.Items().Select(i => $"{i["pk"].S}|{i["sk"].S}").Order().ToList();
        Assert.Equal(expected, (await store.KeysAsync(Cancel)).Order());

        // Reads through the same faults still return everything, page after page.
        var scan = await faulty.ScanAsync(Cancel);
        Assert.Equal(itemCount, scan.Count);
        Assert.Equal(data.Members.Where(m => m.RecruitedBy == "001").Select(m => m.Id).Order(),
            (await faulty.GetDownlineAsync("001", Cancel)).Members().Select(m => m.Id).Order());
    }

    [Fact]
    public async Task An_error_that_cannot_be_retried_surfaces_at_once()
    {
        var faults = new FaultInjectingHandler(_ => Fault.None);
        var store = await dynamo.NewTableAsync("not-retried");
        var faulty = new MlmStore(FaultyClients.Through(faults, dynamo.Endpoint), store.TableName);
        var item = new Sale(1, "001", new DateOnly(2025, 2, 1), 10m, "pen", "2025-02-01T00:00:00.000000").ToItem();
        item["amount"] = new Amazon.DynamoDBv2.Model.AttributeValue { N = "not a number" };
        var before = faults.Requests;

        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => faulty.WriteAsync([item], cancellationToken: Cancel));

        Assert.Equal(1, faults.Requests - before);
        Assert.NotEmpty(error.Message);
    }

    [Fact]
    public async Task A_transaction_retried_after_a_dropped_response_is_not_mistaken_for_a_duplicate()
    {
        var (seeded, data) = await dynamo.SeededTableAsync("transaction-retry");
        var newIds = Enumerable.Range(data.Members.Count + 1, 10).ToList();
        // Every other transaction's answer is lost after it was carried out; the SDK's retry reuses the request's token.
        var faults = new FaultInjectingHandler(FaultInjectingHandler.Every(2, Fault.DropAfter)) { Targets = [".TransactWriteItems"] };
        var faulty = new MlmStore(FaultyClients.Through(faults, dynamo.Endpoint), seeded.TableName);

        foreach (var id in newIds)
            await faulty.RegisterMemberAsync(new Member(Keys.Id(id), "001", $"Member {id}", $"m{id}@example.com", $"555-01{id}", "Somewhere", "2025-02-20T00:00:00.000000"), Cancel);

        Assert.Equal(newIds.Count / 2, faults.DroppedAfter);
        Assert.Equal(newIds.Select(n => Keys.Id(n)), (await seeded.GetDownlineAsync("001", Cancel)).Members().Select(m => m.Id).Where(id => int.Parse(id) > data.Members.Count).Order());
    }
}
