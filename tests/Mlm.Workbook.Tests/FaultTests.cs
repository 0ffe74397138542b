using Amazon.DynamoDBv2;

namespace Mlm.Workbook.Tests;

public class FaultTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_load_under_random_faults_ends_with_exactly_the_expected_items_and_reads_retry()
    {
        // Throttling, 500s, dropped connections (before and after the write happened), 3% of requests each, and
        // partial unprocessed items. At that rate a request failing all eight tries is a one-in-ten-million event.
        var faults = new FaultInjectingHandler(seed: 11, rate: 0.12, new UnprocessedItemsHandler(holdBackEvery: 4));
        var store = await dynamo.NewTableAsync("faults");
        var faulty = new MlmStore(FaultyClients.Through(faults, dynamo.Endpoint), store.TableName);
        var data = FakeData.Generate(new FakeDataOptions(Members: 8_000, Sales: 2_000));

        Assert.Equal(10_000, await faulty.SeedAsync(data, cancellationToken: Cancel));

        Assert.True(faults.Throttled > 0 && faults.ServerErrors > 0 && faults.DroppedBefore > 0 && faults.DroppedAfter > 0,
            $"faults injected: {faults.Throttled} throttled, {faults.ServerErrors} 500s, {faults.DroppedBefore}+{faults.DroppedAfter} dropped");
        var expected = data.Items().Select(i => $"{i["pk"].S}|{i["sk"].S}").Order().ToList();
        Assert.Equal(expected, (await store.KeysAsync(Cancel)).Order());

        // Reads through the same faults still return everything, page after page.
        var scan = await faulty.ScanAsync(Cancel);
        Assert.Equal(10_000, scan.Count);
        Assert.Equal(data.Members.Where(m => m.RecruitedBy == "001").Select(m => m.Id).Order(),
            (await faulty.GetDownlineAsync("001", Cancel)).Members().Select(m => m.Id).Order());
    }

    [Fact]
    public async Task An_error_that_cannot_be_retried_surfaces_at_once()
    {
        var faults = new FaultInjectingHandler(seed: 1, rate: 0);
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
        var (seeded, _) = await dynamo.SeededTableAsync("transaction-retry");
        // Every TransactWriteItems response is lost once in a while; the retry reuses the request's token.
        var faults = new FaultInjectingHandler(seed: 5, rate: 0.6) { Targets = [".TransactWriteItems"] };
        var faulty = new MlmStore(FaultyClients.Through(faults, dynamo.Endpoint), seeded.TableName);

        for (var id = 81; id <= 90; id++)
            await faulty.RegisterMemberAsync(new Member(Keys.Id(id), "001", $"Member {id}", $"m{id}@example.com", $"555-01{id}", "Somewhere", "2025-02-20T00:00:00.000000"), Cancel);

        Assert.True(faults.DroppedAfter > 0, "no response was dropped after the transaction ran");
        Assert.Equal(10, (await seeded.GetDownlineAsync("001", Cancel)).Members().Count(m => int.Parse(m.Id) > 80));
    }
}
