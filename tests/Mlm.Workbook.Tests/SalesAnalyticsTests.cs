namespace Mlm.Workbook.Tests;

/// <summary>An analyst's answers on a small organisation worked out by hand.</summary>
public class SalesAnalyticsTests
{
    // 001 (root) recruits 002 and 003; 002 recruits 004. Joined: 001 and 002 in January, 003 on 2025-02-10, 004 on 2025-02-25.
    private static readonly Member[] Members =
    [
        new("001", null, "Ada Root", "a@example.com", "1", "x", "2025-01-02T08:00:00.000000Z"),
        new("002", "001", "=Bo Two", "b@example.com", "2", "x", "2025-01-20T08:00:00.000000Z"),
        new("003", "001", "Cy Three", "c@example.com", "3", "x", "2025-02-10T08:00:00.000000Z"),
        new("004", "002", "Di Four", "d@example.com", "4", "x", "2025-02-25T08:00:00.000000Z"),
    ];

    private static Sale Sold(int id, string member, string date, decimal price, int quantity) =>
        new(id, member, DateOnly.Parse(date), price * quantity, "Thing", date + "T10:00:00.000000Z", 3, new SaleLine("P01", "Nutrition", price, quantity));

    private static readonly Sale[] Sales =
    [
        Sold(1, "001", "2025-01-06", 10.00m, 1), // Monday
        Sold(2, "002", "2025-01-21", 20.50m, 2),
        Sold(3, "003", "2025-02-11", 5.25m, 4),
        Sold(4, "004", "2025-03-30", 100m, 1),   // outside the 30 days of 004
        Sold(5, "002", "2025-02-28", 0.10m, 1),
    ];

    private static SalesAnalytics Analytics(string first = "2025-01-01", string last = "2025-03-31") =>
        new(new Organisation(Members, Sales), DateOnly.Parse(first), DateOnly.Parse(last));

    [Fact]
    public void Months_have_revenue_growth_order_value_recruits_and_active_sellers()
    {
        var months = Analytics().Months();

        Assert.Equal(["2025-01", "2025-02", "2025-03"], months.Select(m => m.Month));
        Assert.Equal([51.00m, 21.10m, 100.00m], months.Select(m => m.Revenue));
        Assert.Equal(new decimal?[] { null, -58.6m, 373.9m }, months.Select(m => m.GrowthPercent));
        Assert.Equal([25.50m, 10.55m, 100.00m], months.Select(m => m.AverageOrderValue));
        Assert.Equal([1, 2, 0], months.Select(m => m.Recruits)); // the root is no recruit
        Assert.Equal([2, 4, 4], months.Select(m => m.Members));
        Assert.Equal([2, 2, 1], months.Select(m => m.ActiveSellers));
        Assert.Equal([100.0m, 50.0m, 25.0m], months.Select(m => m.ActiveSellerPercent));
        Assert.All(months, m => Assert.False(m.Partial));
        Assert.Equal("51.00", months[0].Revenue.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Every_week_is_listed_with_zeros_and_the_weeks_the_range_cuts_are_partial()
    {
        var weeks = Analytics("2025-01-01", "2025-01-22").Weeks();

        Assert.Equal(["2024-12-30", "2025-01-06", "2025-01-13", "2025-01-20"], weeks.Select(w => w.Week));
        Assert.Equal([5, 7, 7, 3], weeks.Select(w => w.Days));
        Assert.Equal([true, false, false, true], weeks.Select(w => w.Partial));
        Assert.Equal([0.00m, 10.00m, 0.00m, 41.00m], weeks.Select(w => w.Revenue));
        Assert.Equal([0, 1, 0, 1], weeks.Select(w => w.Orders));
    }

    [Fact]
    public void Cohorts_count_recruits_who_sold_within_their_first_30_days_and_say_when_they_are_incomplete()
    {
        var cohorts = Analytics().Cohorts(30);
        Assert.Equal(["2025-01", "2025-02"], cohorts.Select(c => c.Cohort));
        Assert.Equal([(1, 1), (2, 1)], cohorts.Select(c => (c.Recruits, c.SoldEarly)));
        Assert.Equal([100.0m, 50.0m], cohorts.Select(c => c.SharePercent));
        Assert.All(cohorts, c => Assert.True(c.Complete));

        var cut = Analytics("2025-01-01", "2025-03-10").Cohorts(30);
        Assert.False(cut.Single(c => c.Cohort == "2025-02").Complete); // 004's 30 days end after 2025-03-10
    }

    [Fact]
    public void Levels_and_level_1_teams_follow_the_tree()
    {
        var analytics = Analytics();
        Assert.Equal([0, 1, 1, 2], Members.Select(m => analytics.LevelOf(m.Id)));
        Assert.Equal("=Bo Two (USER#002)", analytics.TeamOf("004"));
        Assert.Equal("Ada Root (USER#001)'s own sales", analytics.TeamOf("001"));

        var teams = analytics.TeamRevenue(top: 1);
        Assert.Equal(["=Bo Two (USER#002)", "Other teams"], teams.Select(t => t.Team).Distinct());
        Assert.Equal(6, teams.Count); // every month of every team, zeros included
        Assert.Equal(141.10m, teams.Where(t => t.Team.StartsWith("=Bo")).Sum(t => t.Revenue));
    }

    [Fact]
    public void The_csv_has_two_decimal_amounts_names_and_keys_apart_recruiter_and_level_and_defuses_formulas()
    {
        var lines = Analytics().Csv().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("date,sale_key,member_name,member_key,recruiter_name,recruiter_key,level,product_id,item,category,unit_price,quantity,amount", lines[0]);
        Assert.Equal("2025-01-06,USER#001#SALE#001,Ada Root,USER#001,,,0,P01,Thing,Nutrition,10.00,1,10.00", lines[1]);
        Assert.Equal("2025-03-30,USER#004#SALE#004,Di Four,USER#004,'=Bo Two,USER#002,2,P01,Thing,Nutrition,100.00,1,100.00", lines[5]);
        Assert.Equal(6, lines.Length);
    }
}
