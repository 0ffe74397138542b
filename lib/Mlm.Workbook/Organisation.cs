namespace Mlm.Workbook;

/// <summary>
/// A commission plan: a member earns a share of the sales made in a period by their downline, a rate per level
/// (the default: 10% of level-1 sales, 5% of level 2, 2% of level 3; nothing deeper).
/// </summary>
/// <param name="Rates">The rate for level 1, level 2, … below the earner.</param>
/// <param name="From">The first day of the period.</param>
/// <param name="To">The last day of the period.</param>
public sealed record CommissionPlan(IReadOnlyList<decimal> Rates, DateOnly From, DateOnly To)
{
    /// <summary>10% / 5% / 2% of the sales of levels 1, 2 and 3, in the period.</summary>
    public static CommissionPlan Default(DateOnly from, DateOnly to) => new([0.10m, 0.05m, 0.02m], from, to);

    /// <summary>Whether a sale falls in the period.</summary>
    public bool Covers(Sale sale) => sale.Date >= From && sale.Date <= To;
}

/// <summary>One level of a downline: how many members it has and what they sold.</summary>
/// <param name="Level">0 for the member at the top, 1 for their recruits, and so on.</param>
/// <param name="Members">Members on the level.</param>
/// <param name="Sales">Sales those members made.</param>
/// <param name="Amount">What those sales came to.</param>
public sealed record LevelSummary(int Level, int Members, int Sales, decimal Amount);

/// <summary>What a member earns under a plan.</summary>
/// <param name="MemberId">The earner.</param>
/// <param name="Name">The earner's name.</param>
/// <param name="LevelSales">Sales amount of each commissioned level (index 0 = level 1) in the period.</param>
/// <param name="Commission">The commission, rounded to cents.</param>
public sealed record CommissionLine(string MemberId, string Name, IReadOnlyList<decimal> LevelSales, decimal Commission);

/// <summary>
/// The organisation as a tree of members with their sales, built from one scan of the table (see
/// <see cref="MlmStore.ReadOrganisationAsync"/>): whole downlines level by level, per-level totals, the deepest branch,
/// and commissions, all computed in memory.
/// </summary>
public sealed class Organisation
{
    private readonly Dictionary<string, Member> _members;
    private readonly ILookup<string, Member> _recruits;
    private readonly ILookup<string, Sale> _salesBySeller;

    /// <summary>Builds the tree from members and sales.</summary>
    public Organisation(IEnumerable<Member> members, IEnumerable<Sale> sales)
    {
        _members = members.ToDictionary(m => m.Id, StringComparer.Ordinal);
        _recruits = _members.Values.Where(m => m.RecruitedBy is not null).OrderBy(m => m.Id, StringComparer.Ordinal).ToLookup(m => m.RecruitedBy!, StringComparer.Ordinal);
        Sales = sales.OrderBy(s => s.Id).ToList();
        _salesBySeller = Sales.ToLookup(s => s.MemberId, StringComparer.Ordinal);
    }

    /// <summary>Every member, by id.</summary>
    public IReadOnlyList<Member> Members => _members.Values.OrderBy(m => m.Id, StringComparer.Ordinal).ToList();

    /// <summary>Every sale, by id.</summary>
    public IReadOnlyList<Sale> Sales { get; }

    /// <summary>Whether the organisation has a member with this id.</summary>
    public bool Has(string memberId) => _members.ContainsKey(Keys.Id(memberId));

    /// <summary>The member, or an error naming the id.</summary>
    public Member Member(string memberId) =>
        _members.TryGetValue(Keys.Id(memberId), out var member) ? member : throw new ArgumentException($"There is no member {Keys.User(memberId)}.", nameof(memberId));

    /// <summary>Everyone below a member, level by level (1 = direct recruits), each level in id order.</summary>
    public IReadOnlyList<DownlineMember> Downline(string memberId)
    {
        var root = Member(memberId);
        var found = new List<DownlineMember>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { root.Id };
        var frontier = new List<Member> { root };
        for (var level = 1; frontier.Count > 0; level++)
        {
            frontier = frontier.SelectMany(m => _recruits[m.Id]).Where(m => visited.Add(m.Id)).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            found.AddRange(frontier.Select(m => new DownlineMember(m, level)));
        }
        return found;
    }

    /// <summary>Members and sales per level, from the member itself (level 0) down to the deepest level.</summary>
    public IReadOnlyList<LevelSummary> Levels(string memberId)
    {
        var root = Member(memberId);
        return new[] { new DownlineMember(root, 0) }.Concat(Downline(root.Id))
            .GroupBy(m => m.Level)
            .Select(level => new LevelSummary(
                level.Key,
                level.Count(),
                level.Sum(m => _salesBySeller[m.Member.Id].Count()),
                level.Sum(m => _salesBySeller[m.Member.Id].Sum(s => s.Amount))))
            .ToList();
    }

    /// <summary>The path from a member down to the deepest member below it (the lowest id where several are as deep).</summary>
    public IReadOnlyList<Member> DeepestBranch(string memberId)
    {
        var root = Member(memberId);
        var downline = Downline(root.Id);
        if (downline.Count == 0) return [root];
        var deepest = downline.Where(m => m.Level == downline[^1].Level).Select(m => m.Member).OrderBy(m => m.Id, StringComparer.Ordinal).First();
        var path = new List<Member> { deepest };
        while (path[^1].Id != root.Id) path.Add(_members[path[^1].RecruitedBy!]);
        path.Reverse();
        return path;
    }

    /// <summary>
    /// What every member earns under a plan: each sale in the period pays its seller's recruiter the level-1 rate,
    /// the recruiter's recruiter the level-2 rate, and so on up the tree, as far as the plan has rates.
    /// Members who earn nothing are included, with zero.
    /// </summary>
    public IReadOnlyList<CommissionLine> Commissions(CommissionPlan plan)
    {
        var levelSales = _members.Keys.ToDictionary(id => id, _ => new decimal[plan.Rates.Count], StringComparer.Ordinal);
        foreach (var sale in Sales.Where(plan.Covers))
        {
            var seller = _members.GetValueOrDefault(sale.MemberId);
            var upline = seller?.RecruitedBy;
            for (var level = 0; level < plan.Rates.Count && upline is not null && upline != sale.MemberId; level++)
            {
                levelSales[upline][level] += sale.Amount;
                upline = _members.GetValueOrDefault(upline)?.RecruitedBy;
            }
        }
        return _members.Values.OrderBy(m => m.Id, StringComparer.Ordinal).Select(member =>
        {
            var sums = levelSales[member.Id];
            var commission = decimal.Round(sums.Select((amount, level) => amount * plan.Rates[level]).Sum(), 2, MidpointRounding.AwayFromZero);
            return new CommissionLine(member.Id, member.Name, sums, commission);
        }).ToList();
    }
}
