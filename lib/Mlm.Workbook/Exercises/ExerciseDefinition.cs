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

    public static Expectation Of(IEnumerable<Member> members, IEnumerable<Sale> sales, IEnumerable<Mistake> mistakes) =>
        new(members.Select(TableData.Key).Concat(sales.Select(TableData.Key)).ToHashSet(StringComparer.Ordinal), mistakes.Where(m => m.Keys.Count > 0).ToList());

    public static Expectation Of(IEnumerable<Sale> sales, IEnumerable<Mistake> mistakes) =>
        new(sales.Select(TableData.Key).ToHashSet(StringComparer.Ordinal), mistakes.Where(m => m.Keys.Count > 0).ToList());
}

/// <summary>One exercise: how it is judged, and what it prepares and cleans up around the answer.</summary>
/// <param name="Info">Id, notebook and title.</param>
/// <param name="Judge">The check itself, given what the answer sent and the table's data.</param>
internal sealed record ExerciseDefinition(ExerciseInfo Info, Func<Attempt, CancellationToken, Task<Verdict>> Judge)
{
    /// <summary>A reading exercise, judged by <see cref="ReadTask.Judge"/>.</summary>
    public ExerciseDefinition(ExerciseInfo info, ReadTask task) : this(info, (attempt, _) => Task.FromResult(task.Judge(attempt))) { }

    /// <summary>Makes the store the answer works on (a copy of the table for a design exercise); null for the notebook's own.</summary>
    public Func<MlmStore, CancellationToken, Task<MlmStore>>? Prepare { get; init; }

    /// <summary>Undoes what the answer wrote (given the store it worked on), after the check, so that the exercise can be done again.</summary>
    public Func<MlmStore, CancellationToken, Task>? CleanUp { get; init; }

    /// <summary>What the result says the clean-up did.</summary>
    public string CleanUpNote { get; init; } = "";
}
