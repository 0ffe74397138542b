using Amazon.DynamoDBv2.Model;
using Mlm.Workbook.Presentation;

namespace Mlm.Workbook.Tests;

/// <summary>The organisation, per-level totals and commissions, checked against a computation written here from a full scan.</summary>
public class OrganisationTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Straight from raw scanned items: recruiter of each member, and (seller, amount, day) of each sale.</summary>
    private static (Dictionary<string, string?> RecruiterOf, List<(string Seller, decimal Amount, string Day)> Sales) Raw(IReadOnlyList<Dictionary<string, AttributeValue>> items)
    {
        var recruiterOf = new Dictionary<string, string?>();
        var sales = new List<(string, decimal, string)>();
        foreach (var item in items)
        {
            var pk = item["pk"].S;
            if (item["sk"].S == "PROFILE") recruiterOf[pk] = item.TryGetValue("recruited_by", out var r) ? r.S : null;
            else if (item["sk"].S.StartsWith("SALE#")) sales.Add((pk, decimal.Parse(item["amount"].N, System.Globalization.CultureInfo.InvariantCulture), item["sale_date"].S));
        }
        return (recruiterOf, sales);
    }

    /// <summary>Level of every member below <paramref name="top"/>, by walking each member's chain of recruiters up.</summary>
    private static Dictionary<string, int> LevelsBelow(Dictionary<string, string?> recruiterOf, string top)
    {
        var levels = new Dictionary<string, int>();
        foreach (var member in recruiterOf.Keys)
        {
            var steps = 0;
            for (var at = member; at is not null && steps <= recruiterOf.Count; at = recruiterOf[at], steps++)
                if (at == top && steps > 0) { levels[member] = steps; break; }
        }
        return levels;
    }

    [Theory]
    [InlineData(80, 20, 5)]
    [InlineData(400, 300, int.MaxValue)]
    public async Task Tree_levels_and_commissions_match_an_independent_computation(int members, int sales, int recruiters)
    {
        var (store, _) = await dynamo.SeededTableAsync("organisation", new FakeDataOptions(members, sales, Sellers: int.MaxValue, Recruiters: recruiters));
        var (organisation, scan) = await store.ReadOrganisationAsync(Cancel);
        var (recruiterOf, rawSales) = Raw((await store.ScanAsync(Cancel)).Items);
        Assert.Equal(1, scan.Pages);

        foreach (var top in new[] { "001", "002", "007" })
        {
            var levels = LevelsBelow(recruiterOf, Keys.User(top));
            Assert.Equal(levels.OrderBy(l => l.Key), organisation.Downline(top).Select(m => KeyValuePair.Create(m.Member.PartitionKey, m.Level)).OrderBy(l => l.Key));

            levels[Keys.User(top)] = 0;
            var expected = levels.GroupBy(l => l.Value).OrderBy(g => g.Key).Select(g => new LevelSummary(
                g.Key, g.Count(),
                rawSales.Count(s => g.Any(m => m.Key == s.Seller)),
                rawSales.Where(s => g.Any(m => m.Key == s.Seller)).Sum(s => s.Amount)));
            Assert.Equal(expected, organisation.Levels(top));

            var branch = organisation.DeepestBranch(top);
            Assert.Equal(top, branch[0].Id);
            Assert.Equal(levels.Values.Max(), branch.Count - 1);
            Assert.All(branch.Skip(1).Zip(branch), pair => Assert.Equal(pair.Second.Id, pair.First.RecruitedBy));
        }

        // Commissions: each earner's level-k sales summed by walking every seller's chain, then the rates applied.
        var plan = CommissionPlan.Default(new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 19));
        var inPeriod = rawSales.Where(s => string.CompareOrdinal(s.Day, "DATE#20250201") >= 0 && string.CompareOrdinal(s.Day, "DATE#20250219") <= 0).ToList();
        Assert.NotEmpty(inPeriod);
        Assert.True(inPeriod.Count < rawSales.Count, "the period should leave some sales out");
        foreach (var line in organisation.Commissions(plan))
        {
            var earner = Keys.User(line.MemberId);
            var below = LevelsBelow(recruiterOf, earner);
            var perLevel = Enumerable.Range(1, 3).Select(level => inPeriod.Where(s => below.GetValueOrDefault(s.Seller) == level).Sum(s => s.Amount)).ToList();
            Assert.Equal(perLevel, line.LevelSales);
            Assert.Equal(decimal.Round(perLevel[0] * 0.10m + perLevel[1] * 0.05m + perLevel[2] * 0.02m, 2, MidpointRounding.AwayFromZero), line.Commission);
        }
        Assert.True(organisation.Commissions(plan).Count(c => c.Commission > 0) > 1);
        Assert.Equal(members, organisation.Commissions(plan).Count);
    }

    [Fact]
    public async Task The_tree_chart_draws_every_member_and_one_edge_per_recruit()
    {
        var (store, data) = await dynamo.SeededTableAsync("tree-chart");
        var (organisation, _) = await store.ReadOrganisationAsync(Cancel);
        var html = Charts.ToHtml(Charts.OrganisationTree(organisation, "001"));
        Assert.Contains($"{data.Members.Count(m => m.RecruitedBy is not null)} members", html);
        Assert.Equal(data.Members.Count, System.Text.RegularExpressions.Regex.Matches(html, "USER#\\d{3} ").Count);
    }

    [Fact]
    public async Task Key_design_views_hold_what_each_index_holds()
    {
        var (store, data) = await dynamo.SeededTableAsync("views");
        var items = (await store.ScanAsync(Cancel)).Items;
        var views = KeyDesignView.ForTableAndIndexes(store.TableName, items).ToDictionary(v => v.Title == store.TableName ? "table" : v.Title);

        var total = data.Members.Count + data.Sales.Count;
        var recruited = data.Members.Where(m => m.RecruitedBy is not null).ToList();
        var recruiters = recruited.Select(m => m.RecruitedBy).Distinct().Count();
        Assert.Equal((total, data.Members.Count), (views["table"].Items.Count, views["table"].ItemCollections));
        Assert.Equal((recruited.Count, recruiters), (views[Indexes.RecruitedBy].Items.Count, views[Indexes.RecruitedBy].ItemCollections));
        Assert.Equal(data.Sales.Select(s => s.Date).Distinct().Count(), views[Indexes.SaleDate].ItemCollections);
        Assert.Equal((data.Sales.Count, data.Sales.Select(s => s.MemberId).Distinct().Count()), (views[Indexes.SaleReference].Items.Count, views[Indexes.SaleReference].ItemCollections));
        Assert.Equal((data.Members.Count, data.Members.Select(m => m.Email).Distinct().Count()), (views[Indexes.Email].Items.Count, views[Indexes.Email].ItemCollections));
        Assert.All(views[Indexes.SaleDate].Items, i => Assert.Equal("sale", KeyDesignView.KindOf(i)));

        var html = views[Indexes.RecruitedBy].ToHtml();
        Assert.Contains($"{recruited.Count} of {total} items in {recruiters} item collections; {total - recruited.Count} items have no", html);
        var emails = views[Indexes.Email];
        Assert.Contains($"… and {emails.Items.Count - 5} more items in {emails.ItemCollections - 5} more item collections.", emails.Sample(5).ToHtml());
        Assert.Contains("rowspan=", html);
        Assert.Contains("#dbeafe", html); // members' colour
        Assert.DoesNotContain("#dcfce7", html.Substring(html.IndexOf("<tbody>", StringComparison.Ordinal))); // no sale rows in this index
    }
}
