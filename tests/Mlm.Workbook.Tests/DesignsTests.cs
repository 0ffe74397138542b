using Mlm.Workbook.Capacity;
using Mlm.Workbook.Designs;

namespace Mlm.Workbook.Tests;

/// <summary>
/// The other key designs (notebook 13) return what the workbook's own reads return, and cost what AWS's rules say:
/// the ancestry-path downline is the tree's downline, the totals are the tree's sums, one BETWEEN query finds the sales
/// of the per-day queries, and the overloaded index answers as the exercise's indexes do.
/// </summary>
public class DesignsTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed record Loaded(MlmStore Store, SeedData Data, Organisation Organisation, DesignsTable Designs, WriteTally Load);

    private async Task<Loaded> LoadAsync(string purpose, FakeDataOptions? options = null)
    {
        var (store, data) = await dynamo.SeededTableAsync(purpose, options);
        var (organisation, _) = await store.ReadOrganisationAsync(Cancel);
        var designs = new DesignsTable(store.Client, store.TableName + "_designs");
        await designs.CreateAsync(Cancel);
        return new Loaded(store, data, organisation, designs, await designs.LoadAsync(organisation, Cancel));
    }

    [Theory]
    [InlineData(80, 20, 5)]
    [InlineData(200, 50, int.MaxValue)]
    public async Task The_ancestry_path_downline_is_the_trees_and_the_level_walks(int members, int sales, int recruiters)
    {
        var loaded = await LoadAsync("paths", new FakeDataOptions(members, sales, Recruiters: recruiters));
        var leaf = loaded.Organisation.Members.Last(m => loaded.Organisation.Downline(m.Id).Count == 0).Id;
        foreach (var id in new[] { loaded.Data.Members[0].Id, "002", "007", leaf })
        {
            var byPath = await AncestryPaths.GetDownlineAsync(loaded.Designs, id, Cancel);
            Assert.Equal(loaded.Organisation.Downline(id), byPath.Members);
            Assert.Equal((await loaded.Store.GetWholeDownlineAsync(id, DownlineStrategy.QueryLevels, cancellationToken: Cancel)).Members, byPath.Members);

            // A GetItem for the path, then one query (one page at this size), each priced from the items it read.
            Assert.Equal(2, byPath.Requests);
            var profile = DesignsTable.MemberItem(loaded.Organisation.Member(id), AncestryPaths.Of(loaded.Organisation, id));
            var below = byPath.Members.Select(m => DesignsTable.MemberItem(m.Member, AncestryPaths.Of(loaded.Organisation, m.Member.Id)));
            Assert.Equal(CapacityRules.GetItemUnits(profile) + CapacityRules.ReadUnits(below), byPath.AwsReadUnits);
        }
        await loaded.Designs.DeleteAsync(Cancel);
    }

    [Fact]
    public void A_path_prefix_never_matches_a_longer_id()
    {
        var ancestry = new Ancestry(["001", "004"]);
        Assert.Equal("001#004", ancestry.Path);
        Assert.DoesNotMatch("^" + System.Text.RegularExpressions.Regex.Escape(ancestry.DownlinePrefix), "001#0041#0050");
        Assert.StartsWith(ancestry.DownlinePrefix, "001#004#017", StringComparison.Ordinal);
        Assert.Equal(1, ancestry.LevelOf("001#004#017"));
        Assert.Equal(["001"], ancestry.Ancestors);
        Assert.Equal(["004", "001"], new Ancestry(["001", "004", "017"]).Ancestors);
    }

    [Fact]
    public async Task Precomputed_totals_are_the_trees_sums_and_their_writes_follow_the_rules()
    {
        var loaded = await LoadAsync("totals");
        var organisation = loaded.Organisation;
        foreach (var member in organisation.Members)
        {
            var totals = await DownlineTotals.GetAsync(loaded.Designs, member.Id, Cancel);
            Assert.Equal(organisation.Downline(member.Id).Count, totals.DownlineCount);
            Assert.Equal(organisation.Levels(member.Id).Where(l => l.Level > 0).Sum(l => l.Amount), totals.DownlineRevenue);
            Assert.Equal(1, totals.Read.Pages);
            Assert.Equal(0.5, totals.Read.AwsReadUnits); // a small item, or none (a leaf): one 4 KB block either way
        }

        // One ADD per ancestor of each member who joins and of each sale's seller; a totals item is far under 1 KB.
        var joins = organisation.Members.Sum(m => AncestryPaths.Of(organisation, m.Id).Ancestors.Count);
        var saleAdds = organisation.Sales.Sum(s => AncestryPaths.Of(organisation, s.MemberId).Ancestors.Count);
        Assert.Equal(new WriteSum(DesignsTable.CountAdds, joins, joins, joins, loaded.Load[DesignsTable.CountAdds].LocalReported), loaded.Load[DesignsTable.CountAdds]);
        Assert.Equal(new WriteSum(DesignsTable.RevenueAdds, saleAdds, saleAdds, saleAdds, loaded.Load[DesignsTable.RevenueAdds].LocalReported), loaded.Load[DesignsTable.RevenueAdds]);

        // A member's put writes the table, path-index and GSI1; a sale's the table, sales-by-date-index and GSI1.
        var indexes = loaded.Designs.Indexes;
        var memberCosts = organisation.Members.Select(m => CapacityRules.PutCost(indexes, DesignsTable.MemberItem(m, AncestryPaths.Of(organisation, m.Id)))).ToList();
        var saleCosts = organisation.Sales.Select(s => CapacityRules.PutCost(indexes, DesignsTable.SaleItem(s))).ToList();
        Assert.All(memberCosts, cost => Assert.Equal([DesignsTable.PathIndex, DesignsTable.Gsi1], cost.Lines.Skip(1).Select(l => l.Target)));
        Assert.All(saleCosts, cost => Assert.Equal([DesignsTable.SalesByDateIndex, DesignsTable.Gsi1], cost.Lines.Skip(1).Select(l => l.Target)));
        Assert.Equal(memberCosts.Sum(c => c.Units), loaded.Load[DesignsTable.MemberPuts].WriteUnitsAws);
        Assert.Equal(3 * organisation.Members.Count, loaded.Load[DesignsTable.MemberPuts].Writes);
        Assert.Equal(saleCosts.Sum(c => c.Units), loaded.Load[DesignsTable.SalePuts].WriteUnitsAws);
        await loaded.Designs.DeleteAsync(Cancel);
    }

    [Fact]
    public async Task One_between_query_finds_the_sales_of_the_per_day_queries()
    {
        var loaded = await LoadAsync("ranges", new FakeDataOptions(80, 60));
        var today = new FakeDataOptions().Today;
        var dates = loaded.Data.Sales.Select(s => s.Date).Distinct().Order().ToList();
        foreach (var (from, to) in new[] { (today.AddDays(-30), today.AddDays(-1)), (dates[1], dates[^2]), (dates[3], dates[3]), (today, today.AddDays(5)) })
        {
            var expected = loaded.Data.Sales.Where(s => s.Date >= from && s.Date <= to).Select(s => s.Id).Order().ToList();
            var perDay = await DateRanges.GetSalesPerDayAsync(loaded.Store, from, to, cancellationToken: Cancel);
            var between = await DateRanges.GetSalesBetweenAsync(loaded.Designs, from, to, Cancel);
            Assert.Equal(expected, perDay.Sales().Select(s => s.Id).Order());
            Assert.Equal(expected, between.Sales().Select(s => s.Id).Order());

            // One request per day, each at least half a unit; one request for the range, priced from the sales it read.
            var days = to.DayNumber - from.DayNumber + 1;
            Assert.Equal(days, perDay.Pages);
            var perDayUnits = Enumerable.Range(0, days).Select(from.AddDays)
                .Sum(day => CapacityRules.ReadUnits(loaded.Data.Sales.Where(s => s.Date == day).Select(s => s.ToItem())));
            Assert.Equal(perDayUnits, perDay.AwsReadUnits);
            Assert.Equal(1, between.Pages);
            Assert.Equal(CapacityRules.ReadUnits(loaded.Data.Sales.Where(s => s.Date >= from && s.Date <= to).Select(DesignsTable.SaleItem)), between.AwsReadUnits);
        }
        await Assert.ThrowsAsync<ArgumentException>(() => DateRanges.GetSalesBetweenAsync(loaded.Designs, today, today.AddDays(-1), Cancel));
        await loaded.Designs.DeleteAsync(Cancel);
    }

    [Fact]
    public async Task A_table_of_another_design_is_never_deleted()
    {
        var store = await dynamo.NewTableAsync("not-designs");
        await Assert.ThrowsAsync<InvalidOperationException>(() => new DesignsTable(store.Client, store.TableName).CreateAsync(Cancel));
        Assert.True(await TableDefinition.ExistsAsync(store.Client, store.TableName, Cancel));
    }

    [Fact]
    public async Task The_overloaded_index_answers_as_the_exercises_email_and_date_indexes()
    {
        var loaded = await LoadAsync("overloaded");
        foreach (var member in loaded.Data.Members.Take(10))
        {
            var overloaded = await OverloadedIndex.FindMemberByEmailAsync(loaded.Designs, member.Email.ToUpperInvariant(), Cancel);
            var exercise = await loaded.Store.FindMemberByEmailAsync(member.Email, Cancel);
            Assert.Equal([member.PartitionKey + "|PROFILE"], overloaded.Items.Select(Keys.KeyText));
            Assert.Equal(exercise.Items.Select(Keys.KeyText), overloaded.Items.Select(Keys.KeyText));
            Assert.Equal(CapacityRules.ReadUnits(overloaded.Items), overloaded.AwsReadUnits);
        }
        foreach (var date in loaded.Data.Sales.Select(s => s.Date).Distinct())
        {
            var overloaded = await OverloadedIndex.GetSalesOnDateAsync(loaded.Designs, date, Cancel);
            var exercise = await loaded.Store.GetSalesOnDateAsync(date, cancellationToken: Cancel);
            Assert.Equal(exercise.Items.Select(Keys.KeyText), overloaded.Items.Select(Keys.KeyText));
            Assert.Equal(CapacityRules.ReadUnits(loaded.Data.Sales.Where(s => s.Date == date).Select(DesignsTable.SaleItem)), overloaded.AwsReadUnits);
        }
        await loaded.Designs.DeleteAsync(Cancel);
    }

    [Fact]
    public void Index_writes_per_item_follow_the_rules_in_each_design()
    {
        var data = FakeData.Generate();
        var member = data.Members[1];
        var rows = OverloadedIndex.Compare(member, data.Sales[0]).ToDictionary(r => (r.Item, r.Design));
        Assert.Equal(6, rows.Count);
        Assert.Equal(3, rows[("member", "per attribute: all 5 indexes")].IndexWrites);
        Assert.Equal(2, rows[("sale", "per attribute: all 5 indexes")].IndexWrites);
        Assert.Equal(CapacityRules.PutCost(IndexShape.OfWorkbookTable(), member.ToItem()).Units - 1, rows[("member", "per attribute: all 5 indexes")].IndexUnits);
        foreach (var item in new[] { "member", "sale" })
        {
            Assert.Equal(1, rows[(item, "per attribute: email + date indexes")].IndexWrites);
            Assert.Equal(1, rows[(item, "overloaded: GSI1 (email + date)")].IndexWrites);
            Assert.Equal(DesignsTable.Gsi1, rows[(item, "overloaded: GSI1 (email + date)")].IndexesWritten);
        }
    }
}
