namespace Mlm.Workbook.Tests;

/// <summary>The realistic data set: deterministic, every member may sell, a deep tree, months of sales, consistent amounts.</summary>
public class RealisticDataTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly SeedData Data = RealisticData.Generate();

    private static string Canonical(SeedData data) =>
        string.Join("\n", data.Items().Select(item => string.Join(";", item.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value.S ?? a.Value.N}"))));

    [Fact]
    public void The_same_options_give_the_same_data_and_another_seed_other_data()
    {
        Assert.Equal(Canonical(Data), Canonical(RealisticData.Generate(new RealisticDataOptions())));
        Assert.NotEqual(Canonical(Data), Canonical(RealisticData.Generate(new RealisticDataOptions(Seed: 7))));
    }

    [Fact]
    public void The_faithful_default_is_unchanged_by_it()
    {
        var faithful = FakeData.Generate();
        Assert.Equal((80, 20), (faithful.Members.Count, faithful.Sales.Count));
        Assert.All(faithful.Sales, s => Assert.Null(s.Line));
        Assert.All(faithful.Sales.Select(s => s.ToItem()), item => Assert.False(item.ContainsKey(Attributes.ProductId)));
    }

    [Fact]
    public void Every_member_can_sell_not_only_the_first_five()
    {
        var sellers = Data.Sales.Select(s => s.MemberId).ToHashSet();
        Assert.True(sellers.Count > Data.Members.Count / 2, $"{sellers.Count} of {Data.Members.Count} members sold");
        Assert.Contains(sellers, id => int.Parse(id) > 100);
        // Sellers at every level of the tree.
        var organisation = new Organisation(Data.Members, Data.Sales);
        var levels = organisation.Downline("001").Where(m => sellers.Contains(m.Member.Id)).Select(m => m.Level).ToHashSet();
        Assert.Equal(Enumerable.Range(1, levels.Max()), levels.Order());
    }

    [Fact]
    public void Recruits_sit_at_many_levels_with_a_realistic_fan_out()
    {
        var organisation = new Organisation(Data.Members, Data.Sales);
        var downline = organisation.Downline("001");
        Assert.Equal(Data.Members.Count - 1, downline.Count); // one tree
        Assert.True(downline.Max(m => m.Level) > 3, $"depth {downline.Max(m => m.Level)}");
        var fanOut = Data.Members.Where(m => m.RecruitedBy is not null).GroupBy(m => m.RecruitedBy).Select(g => g.Count()).OrderDescending().ToList();
        Assert.InRange(downline.Count(m => m.Level == 1), 5, 40); // the root's own teams
        Assert.True(fanOut[0] >= 10, "someone recruits many");
        Assert.True(fanOut.Count(n => n == 1) >= 10, "many recruit one");
        Assert.True(Data.Members.Count - fanOut.Count > Data.Members.Count / 2, "most recruit no one");
    }

    [Fact]
    public void Members_join_over_the_months_and_sales_span_them_with_growth()
    {
        var options = new RealisticDataOptions();
        Assert.Equal((new DateOnly(2024, 2, 1), new DateOnly(2025, 1, 31)), (options.FirstDay, options.LastDay));
        var joined = Data.Members.Select(m => DateOnly.FromDateTime(DateTime.Parse(m.CreatedAt, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime())).ToList();
        Assert.All(joined, day => Assert.InRange(day, options.FirstDay, options.LastDay));
        Assert.Equal(12, joined.Select(d => (d.Year, d.Month)).Distinct().Count());
        var byId = Data.Members.ToDictionary(m => m.Id);
        Assert.All(Data.Members.Where(m => m.RecruitedBy is not null),
            m => Assert.True(string.CompareOrdinal(byId[m.RecruitedBy!].CreatedAt, m.CreatedAt) <= 0, $"{m.Id} joined before its recruiter"));

        var perMonth = Data.Sales.GroupBy(s => (s.Date.Year, s.Date.Month)).OrderBy(g => g.Key).Select(g => g.Sum(s => s.Amount)).ToList();
        Assert.Equal(12, perMonth.Count);
        Assert.All(Data.Sales, s => Assert.InRange(s.Date, options.FirstDay, options.LastDay));
        Assert.True(perMonth[^2] > perMonth[0] * 5, "revenue grows over the year");
        Assert.All(Data.Sales, s => Assert.True(s.Date >= DateOnly.FromDateTime(DateTime.Parse(byId[s.MemberId].CreatedAt, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime()), "a sale before its seller joined"));
        Assert.Equal(Enumerable.Range(1, Data.Sales.Count), Data.Sales.Select(s => s.Id));
        Assert.Equal(Data.Sales.OrderBy(s => s.CreatedAt, StringComparer.Ordinal).Select(s => s.Id), Data.Sales.Select(s => s.Id));
    }

    [Fact]
    public void Amounts_are_unit_price_times_quantity_at_catalogue_prices()
    {
        Assert.All(Data.Sales, sale =>
        {
            var line = Assert.IsType<SaleLine>(sale.Line);
            var product = ProductCatalogue.Find(line.ProductId);
            Assert.Equal((product.Name, product.Category, product.UnitPrice), (sale.Item, line.Category, line.UnitPrice));
            Assert.InRange(line.Quantity, 1, 5);
            Assert.Equal(decimal.Round(line.UnitPrice * line.Quantity, 2), sale.Amount);
            Assert.Equal(sale, Sale.FromItem(sale.ToItem()));
        });
        Assert.Equal(ProductCatalogue.Categories.Count, Data.Sales.Select(s => s.Line!.Category).Distinct().Count());
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RealisticData.Generate(new RealisticDataOptions(Members: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RealisticData.Generate(new RealisticDataOptions(Months: 121)));
    }

    [Fact]
    public async Task Seeding_it_writes_every_item_once_and_again_writes_nothing()
    {
        var options = new RealisticDataOptions(Members: 40, Months: 4);
        var data = RealisticData.Generate(options);
        var store = await dynamo.NewTableAsync("realistic");

        var written = await store.SeedAsync(options, cancellationToken: Cancel);
        Assert.Equal(data.Members.Count + data.Sales.Count, written);
        Assert.Equal(0, await store.SeedAsync(options, cancellationToken: Cancel));

        var scan = await store.ScanAsync(Cancel);
        Assert.Equal(data.Sales.OrderBy(s => s.Id), scan.Sales().OrderBy(s => s.Id));
        var refused = await Assert.ThrowsAsync<SeedRefusedException>(() => store.SeedAsync(options with { Seed = 1 }, cancellationToken: Cancel));
        Assert.Contains("realistic", refused.Message);
    }
}
