namespace Mlm.Workbook;

/// <summary>An exercise as a course lists it: where it is and what it practises.</summary>
/// <param name="Id">The exercise, <c>NN-k</c>: the notebook's number and the exercise's place in it.</param>
/// <param name="Notebook">The notebook file it ends, such as <c>04-list-downline.ipynb</c>.</param>
/// <param name="Title">The task in a few words.</param>
/// <param name="Practises">The access pattern or design skill it practises.</param>
public sealed record ExerciseInfo(string Id, string Notebook, string Title, string Practises);

/// <summary>The table's members and sales, read by one paged scan: what a check computes its expectation from.</summary>
internal sealed record TableData(IReadOnlyList<Member> Members, IReadOnlyList<Sale> Sales)
{
    public static string Key(Member member) => member.PartitionKey + "|" + member.SortKey;

    public static string Key(Sale sale) => sale.PartitionKey + "|" + sale.SortKey;

    public IReadOnlyList<Member> RecruitsOf(string memberId) => Members.Where(m => m.RecruitedBy == memberId).ToList();

    public IReadOnlyList<Member> SecondLevelOf(string memberId) =>
        RecruitsOf(memberId).SelectMany(recruit => RecruitsOf(recruit.Id)).ToList();
}

/// <summary>A wrong answer a student is likely to give, and the hint that explains it.</summary>
internal sealed record Mistake(IReadOnlySet<string> Keys, string Hint)
{
    public static Mistake Of(IEnumerable<Member> members, string hint) => new(members.Select(TableData.Key).ToHashSet(StringComparer.Ordinal), hint);

    public static Mistake Of(IEnumerable<Sale> sales, string hint) => new(sales.Select(TableData.Key).ToHashSet(StringComparer.Ordinal), hint);
}

/// <summary>What the answer should hold, computed from the data, and the likely mistakes around it.</summary>
internal sealed record Expectation(IReadOnlySet<string> Keys, IReadOnlyList<Mistake> Mistakes)
{
    public static Expectation Of(IEnumerable<Member> members, IEnumerable<Mistake> mistakes) =>
        new(members.Select(TableData.Key).ToHashSet(StringComparer.Ordinal), mistakes.Where(m => m.Keys.Count > 0).ToList());

    public static Expectation Of(IEnumerable<Sale> sales, IEnumerable<Mistake> mistakes) =>
        new(sales.Select(TableData.Key).ToHashSet(StringComparer.Ordinal), mistakes.Where(m => m.Keys.Count > 0).ToList());
}

/// <summary>One exercise's check: its expectation, the tables or indexes it may read, and its hints.</summary>
/// <param name="Info">Id, notebook and title.</param>
/// <param name="Targets">The table (null) or indexes the answer's reads may use.</param>
/// <param name="TargetHint">What to say when the items are right but were read from elsewhere or by a scan.</param>
/// <param name="EmptyHint">What to say when the reads returned nothing.</param>
/// <param name="Expect">The expectation, from the data.</param>
internal sealed record ExerciseDefinition(
    ExerciseInfo Info, IReadOnlyList<string?> Targets, string TargetHint, string EmptyHint, Func<TableData, Expectation> Expect);
