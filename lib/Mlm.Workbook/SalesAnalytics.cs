using System.Globalization;
using Mlm.Workbook.Presentation;

namespace Mlm.Workbook;

/// <summary>One week of sales; weeks start on Monday and are named by it.</summary>
/// <param name="Week">The Monday, <c>yyyy-MM-dd</c>.</param>
/// <param name="Days">How many of its days fall in the range: 7, or fewer for a partial week at either end.</param>
/// <param name="Partial">Whether part of the week lies outside the range, so its total is not comparable with a whole week's.</param>
/// <param name="Orders">Sales in the week (within the range).</param>
/// <param name="Revenue">Their amount, two decimals; zero for a week with no sales.</param>
public sealed record WeekSummary(string Week, int Days, bool Partial, int Orders, decimal Revenue);

/// <summary>One month of the organisation: sales, growth, recruits and how many members sold.</summary>
/// <param name="Month"><c>yyyy-MM</c>.</param>
/// <param name="Partial">Whether part of the month lies outside the range.</param>
/// <param name="Orders">Sales in the month.</param>
/// <param name="Revenue">Their amount, two decimals.</param>
/// <param name="GrowthPercent">Revenue against the month before, in percent, one decimal; null for the first month or after a month with none.</param>
/// <param name="AverageOrderValue">Revenue ÷ orders, two decimals; zero without orders.</param>
/// <param name="Recruits">Members who joined in the month.</param>
/// <param name="Members">Members who had joined by the month's last day.</param>
/// <param name="ActiveSellers">Members who made at least one sale in the month.</param>
/// <param name="ActiveSellerPercent">Active sellers ÷ members, in percent, one decimal.</param>
public sealed record MonthSummary(string Month, bool Partial, int Orders, decimal Revenue, decimal? GrowthPercent, decimal AverageOrderValue,
    int Recruits, int Members, int ActiveSellers, decimal ActiveSellerPercent);

/// <summary>The recruits who joined in one month, and how many of them sold within their first days.</summary>
/// <param name="Cohort">The month they joined, <c>yyyy-MM</c>.</param>
/// <param name="Recruits">How many joined (the root, who was recruited by no one, is not a recruit).</param>
/// <param name="SoldEarly">How many made a sale within their first days (the day they joined and the days after it).</param>
/// <param name="SharePercent">SoldEarly ÷ Recruits, in percent, one decimal.</param>
/// <param name="Complete">False when some recruits' first days run past the range's last day, so the share can still grow.</param>
public sealed record CohortSummary(string Cohort, int Recruits, int SoldEarly, decimal SharePercent, bool Complete);

/// <summary>What one level-1 team sold in one month.</summary>
/// <param name="Team">The team: its level-1 member's name and key; the root's own sales are a team of their own.</param>
/// <param name="Month"><c>yyyy-MM</c>.</param>
/// <param name="Revenue">Two decimals.</param>
public sealed record TeamMonth(string Team, string Month, decimal Revenue);

/// <summary>One sale with its seller's place in the tree, for a table or a CSV file.</summary>
/// <param name="Date"><c>yyyy-MM-dd</c>.</param>
/// <param name="SaleKey">The sale reference, <c>USER#004#SALE#0003</c>.</param>
/// <param name="MemberName">The seller's name.</param>
/// <param name="MemberKey">The seller's key, <c>USER#004</c>.</param>
/// <param name="RecruiterName">The seller's recruiter's name; empty for the root.</param>
/// <param name="RecruiterKey">The recruiter's key; empty for the root.</param>
/// <param name="Level">The seller's level below the root (the root is 0).</param>
/// <param name="ProductId">The product's id; empty on the exercise's sales.</param>
/// <param name="Item">What was sold.</param>
/// <param name="Category">The product's category; empty on the exercise's sales.</param>
/// <param name="UnitPrice">The unit price, two decimals; null on the exercise's sales.</param>
/// <param name="Quantity">The units sold; null on the exercise's sales.</param>
/// <param name="Amount">Two decimals.</param>
public sealed record SaleRow(string Date, string SaleKey, string MemberName, string MemberKey, string RecruiterName, string RecruiterKey, int Level,
    string ProductId, string Item, string Category, decimal? UnitPrice, int? Quantity, decimal Amount);

/// <summary>
/// An analyst's questions about the sales of a date range (both days included), answered from one read of the whole
/// organisation: every week and month of the range (zeros where nothing sold, partial ones marked), growth, recruits,
/// active sellers, cohorts and level-1 teams. Amounts have exactly two decimals.
/// </summary>
public sealed class SalesAnalytics
{
    private readonly Dictionary<string, Member> _members;
    private readonly Dictionary<string, int> _levels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateOnly> _joined;

    /// <summary>The organisation's sales from <paramref name="first"/> to <paramref name="last"/>.</summary>
    /// <exception cref="ArgumentException">The range ends before it starts.</exception>
    public SalesAnalytics(Organisation organisation, DateOnly first, DateOnly last)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        if (last < first) throw new ArgumentException($"The range ends ({last:yyyy-MM-dd}) before it starts ({first:yyyy-MM-dd}).", nameof(last));
        (First, Last) = (first, last);
        _members = organisation.Members.ToDictionary(m => m.Id, StringComparer.Ordinal);
        _joined = _members.Values.ToDictionary(m => m.Id, m => JoinDay(m), StringComparer.Ordinal);
        Sales = organisation.Sales.Where(s => s.Date >= first && s.Date <= last).OrderBy(s => s.Date).ThenBy(s => s.Id).ToList();
    }

    /// <summary>The first day of the range.</summary>
    public DateOnly First { get; }

    /// <summary>The last day of the range.</summary>
    public DateOnly Last { get; }

    /// <summary>The sales in the range, by date, then id.</summary>
    public IReadOnlyList<Sale> Sales { get; }

    /// <summary>Every day of the range.</summary>
    public IReadOnlyList<DateOnly> Days => Enumerable.Range(0, Last.DayNumber - First.DayNumber + 1).Select(First.AddDays).ToList();

    /// <summary>The day a member joined (its <c>created_at</c>, in UTC).</summary>
    public static DateOnly JoinDay(Member member) =>
        DateOnly.FromDateTime(DateTime.Parse(member.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));

    /// <summary>The Monday that starts a day's week.</summary>
    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>An amount with exactly two decimals (483.1 becomes 483.10).</summary>
    public static decimal Money(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero) + 0.00m;

    /// <summary>Every week that touches the range, in order, with zero where nothing sold; the first and last may be partial.</summary>
    public IReadOnlyList<WeekSummary> Weeks()
    {
        var byWeek = Sales.ToLookup(s => WeekOf(s.Date));
        return Days.GroupBy(WeekOf).Select(week => new WeekSummary(
            week.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), week.Count(), week.Count() < 7,
            byWeek[week.Key].Count(), Money(byWeek[week.Key].Sum(s => s.Amount)))).ToList();
    }

    /// <summary>Every month that touches the range, in order: orders, revenue and its growth, average order value, recruits, active sellers.</summary>
    public IReadOnlyList<MonthSummary> Months()
    {
        var months = new List<MonthSummary>();
        foreach (var month in Days.GroupBy(day => new DateOnly(day.Year, day.Month, 1)))
        {
            var sales = Sales.Where(s => s.Date.Year == month.Key.Year && s.Date.Month == month.Key.Month).ToList();
            var revenue = Money(sales.Sum(s => s.Amount));
            var previous = months.Count == 0 ? null : months[^1];
            var monthEnd = month.Key.AddMonths(1).AddDays(-1);
            var members = _joined.Values.Count(day => day <= monthEnd);
            var recruits = _members.Values.Count(m => m.RecruitedBy is not null && _joined[m.Id] >= month.Key && _joined[m.Id] <= monthEnd);
            var sellers = sales.Select(s => s.MemberId).Distinct().Count();
            months.Add(new MonthSummary(
                month.Key.ToString("yyyy-MM", CultureInfo.InvariantCulture), month.Count() < DateTime.DaysInMonth(month.Key.Year, month.Key.Month),
                sales.Count, revenue,
                previous is { Revenue: > 0 } ? Percent(revenue - previous.Revenue, previous.Revenue) : null,
                sales.Count == 0 ? 0.00m : Money(revenue / sales.Count),
                recruits, members, sellers, members == 0 ? 0.0m : Percent(sellers, members)));
        }
        return months;
    }

    /// <summary>
    /// For each month of the range, the recruits who joined in it and the share who made a sale within their first
    /// <paramref name="days"/> days (the day they joined counts as the first).
    /// </summary>
    public IReadOnlyList<CohortSummary> Cohorts(int days = 30)
    {
        if (days < 1) throw new ArgumentOutOfRangeException(nameof(days), days, "At least one day.");
        var firstSale = Sales.GroupBy(s => s.MemberId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(s => s.Date), StringComparer.Ordinal);
        return _members.Values.Where(m => m.RecruitedBy is not null && _joined[m.Id] >= First && _joined[m.Id] <= Last)
            .GroupBy(m => new DateOnly(_joined[m.Id].Year, _joined[m.Id].Month, 1)).OrderBy(g => g.Key)
            .Select(cohort =>
            {
                var early = cohort.Count(m => firstSale.TryGetValue(m.Id, out var sold) && sold.DayNumber - _joined[m.Id].DayNumber < days);
                return new CohortSummary(cohort.Key.ToString("yyyy-MM", CultureInfo.InvariantCulture), cohort.Count(), early, Percent(early, cohort.Count()),
                    cohort.All(m => _joined[m.Id].AddDays(days - 1) <= Last));
            }).ToList();
    }

    /// <summary>A member's level below the root: 0 for a member recruited by no one, 1 for its recruits, and so on.</summary>
    public int LevelOf(string memberId)
    {
        if (_levels.TryGetValue(memberId, out var level)) return level;
        var recruiter = _members.TryGetValue(memberId, out var member) ? member.RecruitedBy : null;
        level = recruiter is null || recruiter == memberId || !_members.ContainsKey(recruiter) ? 0 : LevelOf(recruiter) + 1;
        _levels[memberId] = level;
        return level;
    }

    /// <summary>The level-1 team a member belongs to: the member at level 1 above it (or itself); the root's own team for the root.</summary>
    public string TeamOf(string memberId)
    {
        var id = memberId;
        while (LevelOf(id) > 1) id = _members[id].RecruitedBy!;
        return LevelOf(id) == 0 ? $"{Name(id)}'s own sales" : Name(id);
    }

    /// <summary>
    /// What each level-1 team sold in each month of the range: the <paramref name="top"/> teams that sold most in the range by
    /// name, the rest together as "Other teams"; every month of every team, zeros included.
    /// </summary>
    public IReadOnlyList<TeamMonth> TeamRevenue(int top = 5)
    {
        var totals = Sales.GroupBy(s => TeamOf(s.MemberId)).Select(g => (Team: g.Key, Revenue: g.Sum(s => s.Amount)))
            .OrderByDescending(t => t.Revenue).ThenBy(t => t.Team, StringComparer.Ordinal).ToList();
        var named = totals.Take(top).Select(t => t.Team).ToList();
        var teams = totals.Count > top ? named.Append("Other teams").ToList() : named;
        string Label(Sale sale) => named.Contains(TeamOf(sale.MemberId)) ? TeamOf(sale.MemberId) : "Other teams";
        var months = Days.Select(day => day.ToString("yyyy-MM", CultureInfo.InvariantCulture)).Distinct().ToList();
        var sums = Sales.GroupBy(s => (Label(s), s.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture))).ToDictionary(g => g.Key, g => g.Sum(s => s.Amount));
        return teams.SelectMany(team => months.Select(month => new TeamMonth(team, month, Money(sums.GetValueOrDefault((team, month)))))).ToList();
    }

    /// <summary>One row per sale of the range, with the seller's name and key apart, the recruiter and the level.</summary>
    public IReadOnlyList<SaleRow> Rows() => Sales.Select(sale =>
    {
        var recruiter = _members.TryGetValue(sale.MemberId, out var seller) ? seller.RecruitedBy : null;
        return new SaleRow(sale.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), sale.SaleReference, seller?.Name ?? "", Keys.User(sale.MemberId),
            recruiter is not null && _members.TryGetValue(recruiter, out var r) ? r.Name : "", recruiter is null ? "" : Keys.User(recruiter),
            LevelOf(sale.MemberId), sale.Line?.ProductId ?? "", sale.Item, sale.Line?.Category ?? "",
            sale.Line is { } line ? Money(line.UnitPrice) : null, sale.Line?.Quantity, Money(sale.Amount));
    }).ToList();

    /// <summary>
    /// The rows as CSV (see <see cref="CsvText"/>): <c>date, sale_key, member_name, member_key, recruiter_name, recruiter_key,
    /// level, product_id, item, category, unit_price, quantity, amount</c>, amounts with two decimals.
    /// </summary>
    public string Csv() => CsvText.Write(
        ["date", "sale_key", "member_name", "member_key", "recruiter_name", "recruiter_key", "level", "product_id", "item", "category", "unit_price", "quantity", "amount"],
        Rows().Select(r => new (string, bool)[]
        {
            (r.Date, false), (r.SaleKey, false), (r.MemberName, false), (r.MemberKey, false), (r.RecruiterName, false), (r.RecruiterKey, false),
            (Number(r.Level), true), (r.ProductId, false), (r.Item, false), (r.Category, false),
            (r.UnitPrice is { } price ? Number(price) : "", true), (r.Quantity is { } quantity ? Number(quantity) : "", true), (Number(r.Amount), true),
        }));

    private string Name(string memberId) => $"{(_members.TryGetValue(memberId, out var m) ? m.Name : "?")} ({Keys.User(memberId)})";

    private static decimal Percent(decimal part, decimal whole) => decimal.Round(part * 100 / whole, 1, MidpointRounding.AwayFromZero) + 0.0m;

    private static string Number(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
