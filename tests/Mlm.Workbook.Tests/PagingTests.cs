using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook.Tests;

public class PagingTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scan_and_query_page_past_one_megabyte_and_return_every_item()
    {
        var store = await dynamo.NewTableAsync("paging");
        // 300 sales of one member, ~8 KB each: about 2.4 MB in one partition, so at least three pages.
        var padding = new string('x', 8_000);
        var items = Enumerable.Range(1, 300).Select(id =>
        {
            var item = new Sale(id, "001", new DateOnly(2025, 2, 1), 10m, "book", "2025-02-01T00:00:00.000000").ToItem();
            item["notes"] = new AttributeValue { S = padding };
            return item;
        });
        Assert.Equal(300, await store.WriteAsync(items, cancellationToken: Cancel));

        var scan = await store.ScanAsync(Cancel);
        Assert.Equal(300, scan.Count);
        Assert.True(scan.Pages >= 3, $"scan took {scan.Pages} pages");
        Assert.Equal(300, scan.Items.Select(i => i["sk"].S).Distinct().Count());

        var sales = await store.GetSalesOfMemberAsync("001", Cancel);
        Assert.Equal(300, sales.Count);
        Assert.True(sales.Pages >= 3, $"query took {sales.Pages} pages");

        var onDate = await store.GetSalesOnDateAsync(new DateOnly(2025, 2, 1), cancellationToken: Cancel);
        Assert.Equal(300, onDate.Count);
        Assert.True(onDate.CapacityUnits > 0);
    }
}
