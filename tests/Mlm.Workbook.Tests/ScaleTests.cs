namespace Mlm.Workbook.Tests;

public class ScaleTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The downline computed from the generated data alone: member id → level below the root.</summary>
    private static Dictionary<string, int> ExpectedDownline(SeedData data, string rootId)
    {
        var levels = new Dictionary<string, int>();
        // Members are generated in id order and recruited by earlier members, so one pass suffices.
        foreach (var member in data.Members)
        {
            if (member.RecruitedBy == rootId) levels[member.Id] = 1;
            else if (member.RecruitedBy is { } recruiter && levels.TryGetValue(recruiter, out var level)) levels[member.Id] = level + 1;
        }
        return levels;
    }

    [Fact]
    public async Task Whole_downline_is_the_same_whichever_way_it_is_read()
    {
        var (store, data) = await dynamo.SeededTableAsync("downline", new FakeDataOptions(Members: 3_000, Sales: 500, Recruiters: int.MaxValue));
        // 3,000 members: ids have four digits, so that keys sort in number order (USER#0001 … USER#3000).
        foreach (var root in new[] { 1, 2, 17, 900 }.Select(n => data.Members[n - 1].Id))
        {
            var expected = ExpectedDownline(data, root);
            foreach (var strategy in new[] { DownlineStrategy.QueryLevels, DownlineStrategy.ScanTable, DownlineStrategy.Auto })
            {
                var downline = await store.GetWholeDownlineAsync(root, strategy, cancellationToken: Cancel);
                Assert.Equal(expected.OrderBy(e => e.Key), downline.Members.Select(m => KeyValuePair.Create(m.Member.Id, m.Level)).OrderBy(e => e.Key));
                Assert.Equal(expected.Count == 0 ? 0 : expected.Values.Max(), downline.Depth);
                Assert.Equal(downline.Members.Select(m => m.Level).Order(), downline.Members.Select(m => m.Level));
            }
        }
        Assert.True(ExpectedDownline(data, "0001").Count == 2_999 && ExpectedDownline(data, "0001").Values.Max() > 3, "the tree should be deep");

        // Auto walks a small branch with queries and scans for the whole organisation.
        Assert.Equal(DownlineStrategy.QueryLevels, (await store.GetWholeDownlineAsync("0900", cancellationToken: Cancel)).Strategy);
        var whole = await store.GetWholeDownlineAsync("0001", cancellationToken: Cancel);
        Assert.Equal(DownlineStrategy.ScanTable, whole.Strategy);
        var queried = await store.GetWholeDownlineAsync("0001", DownlineStrategy.QueryLevels, cancellationToken: Cancel);
        Assert.True(queried.Requests > 10 * whole.Requests, $"{queried.Requests} queries vs {whole.Requests} scan pages");
    }

    [Fact]
    public async Task Sharded_dates_spread_a_day_over_several_keys_and_scatter_gather_reads_it_back()
    {
        var store = await dynamo.NewTableAsync("sharded");
        var data = FakeData.Generate(new FakeDataOptions(Members: 50, Sales: 600));
        await store.SeedAsync(data, dateShards: 4, cancellationToken: Cancel);

        foreach (var date in data.Sales.Select(s => s.Date).Distinct().Take(5))
        {
            var expected = data.Sales.Where(s => s.Date == date).OrderBy(s => s.SaleReference, StringComparer.Ordinal).ToList();
            var read = await store.GetSalesOnShardedDateAsync(date, 4, Cancel);
            Assert.Equal(expected, read.Sales());
            Assert.Equal(4, read.Pages);
            // Unsharded, the day's key finds nothing: every sale of it sits under one of the four shard keys.
            Assert.Equal(0, (await store.GetSalesOnDateAsync(date, cancellationToken: Cancel)).Count);
        }
        Assert.Equal("DATE#20250207#3", Keys.ShardedDate(new DateOnly(2025, 2, 7), 3));
        Assert.Equal(new DateOnly(2025, 2, 7), Keys.DateOf("DATE#20250207#3"));
        Assert.Throws<FormatException>(() => Keys.DateOf("DATE#202502071"));
    }

    [Fact]
    public void Converting_many_items_to_a_frame_keeps_every_value()
    {
        var data = FakeData.Generate(new FakeDataOptions(Members: 20_000, Sales: 20_000));
        var items = data.Items().ToList();
        var frame = Presentation.Frames.ToDataFrame(items);
        Assert.Equal(40_000, frame.Rows.Count);
        Assert.Equal(data.Sales.Sum(s => s.Amount), (decimal)frame.Columns["amount"].Sum());
        Assert.Equal(data.Members.Count, frame.Columns["amount"].NullCount);
        Assert.Equal(items[12_345]["pk"].S, frame.Columns["pk"][12_345]);
    }
}
