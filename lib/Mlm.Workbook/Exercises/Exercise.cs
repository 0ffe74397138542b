using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// The workbook's exercises and their checks. A check reads the whole table with a paged scan, computes from it what
/// the answer should hold, and compares: the same items, read from the table or index the exercise practises. It
/// never throws for a wrong answer; it says what is wrong, and what the answer's reads cost.
/// </summary>
public static partial class Exercise
{
    // Which exercise each answer object was last checked for: a cell that failed leaves the previous exercise's answer in place.
    private static readonly ConditionalWeakTable<object, string> CheckedFor = new();

    /// <summary>Every exercise, in course order.</summary>
    public static IReadOnlyList<ExerciseInfo> All { get; } = ExerciseCatalogue.All.Select(e => e.Info).ToList();

    /// <summary>Checks an answer against the data in <paramref name="store"/>'s table.</summary>
    /// <param name="store">The notebook's store.</param>
    /// <param name="id">The exercise, such as <c>"04-1"</c>.</param>
    /// <param name="answer">
    /// The answer: a <see cref="ReadResult"/> (what the store's reads and <see cref="MlmStore.ExecutePartiQlAsync"/> return), or
    /// several of them. Null, or an empty list, is the placeholder: "not attempted yet".
    /// </param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <exception cref="ArgumentException">No exercise has that id.</exception>
    public static async Task<ExerciseResult> CheckAsync(MlmStore store, string id, object? answer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var exercise = ExerciseCatalogue.All.FirstOrDefault(e => e.Info.Id == id)
            ?? throw new ArgumentException($"There is no exercise \"{id}\"; the exercises are {string.Join(", ", All.Select(e => e.Id))}.", nameof(id));
        var info = exercise.Info;

        if (answer is null || answer is System.Collections.ICollection { Count: 0 })
            return new ExerciseResult(info.Id, info.Title, ExerciseStatus.NotAttempted, ExerciseResult.NotAttemptedMessage);
        if (CheckedFor.TryGetValue(answer, out var previous) && previous != info.Id)
            return new ExerciseResult(info.Id, info.Title, ExerciseStatus.NotAttempted,
                $"{ExerciseResult.NotAttemptedMessage}: answer still holds exercise {previous}'s answer (did the cell above stop with an error?)");
        CheckedFor.AddOrUpdate(answer, info.Id);

        var reads = answer switch
        {
            ReadResult read => [read],
            IEnumerable<ReadResult?> many => many.ToList(),
            _ => null,
        };
        if (reads is null)
            return new ExerciseResult(info.Id, info.Title, ExerciseStatus.Failed,
                $"the answer is a {answer.GetType().Name}; it should be the ReadResult your read returned (or a list of them), so that the check can see what was read and what it cost");
        if (reads.Any(r => r is null))
            return new ExerciseResult(info.Id, info.Title, ExerciseStatus.Failed, "the list of reads holds a null; add the ReadResult each read returns");
        var results = reads.Select(r => r!).ToList();
        // DynamoDB Local reports no capacity for PartiQL: say so rather than show a cost of zero.
        double? capacity = results.Sum(r => r.CapacityUnits) is var units && units == 0 && results.Any(r => r.Request.Operation == ReadRequest.PartiQl) ? null : units;
        var requests = results.Sum(r => r.Pages);
        var awsUnits = results.Sum(r => r.AwsReadUnits);

        var scan = await store.ScanAsync(cancellationToken).ConfigureAwait(false);
        var expectation = exercise.Expect(new TableData(scan.Members(), scan.Sales()));
        var got = results.SelectMany(r => r.Items).Select(ItemKey).ToList();
        var gotSet = got.ToHashSet(StringComparer.Ordinal);

        ExerciseResult Failed(string message) => new(info.Id, info.Title, ExerciseStatus.Failed, message, capacity, requests, awsUnits);

        if (!gotSet.SetEquals(expectation.Keys))
        {
            if (gotSet.Count == 0) return Failed(exercise.EmptyHint);
            var mistake = expectation.Mistakes.FirstOrDefault(m => m.Keys.SetEquals(gotSet));
            if (mistake is not null) return Failed(mistake.Hint);
            var extra = gotSet.Where(k => !expectation.Keys.Contains(k)).Order(StringComparer.Ordinal).ToList();
            var missing = expectation.Keys.Count(k => !gotSet.Contains(k));
            var parts = new List<string> { $"{gotSet.Count - extra.Count} of the {expectation.Keys.Count} expected items" };
            if (missing > 0) parts.Add($"{missing} missing");
            if (extra.Count > 0) parts.Add($"{extra.Count} that do not belong ({string.Join(", ", extra.Take(3).Select(Show))}{(extra.Count > 3 ? ", …" : "")})");
            return Failed(string.Join("; ", parts) + ". " + Capitalize(exercise.TargetHint) + ".");
        }

        var wrongRoad = results.FirstOrDefault(r => r.Request.Operation == "Scan" || !exercise.Targets.Contains(Target(r.Request)));
        if (wrongRoad is not null)
            return Failed($"the right items, but they came from {(wrongRoad.Request.Operation == "Scan" ? "a scan of the whole table" : "a " + Describe(wrongRoad.Request))}: {exercise.TargetHint}");
        if (got.Count != gotSet.Count)
            return Failed($"the right items, but {got.Count - gotSet.Count} of them twice: read each partition once");

        var roads = results.GroupBy(r => Describe(r.Request))
            .Select(g => g.Count() == 1 ? g.Key : $"{g.Count()} × {g.Key}");
        return new ExerciseResult(info.Id, info.Title, ExerciseStatus.Passed,
            $"{gotSet.Count} item{(gotSet.Count == 1 ? "" : "s")}, as the data says, by {string.Join(" and ", roads)}", capacity, requests, awsUnits);
    }

    private static string ItemKey(Dictionary<string, AttributeValue> item) =>
        (item.TryGetValue(Keys.PartitionKey, out var pk) ? pk.S : "?") + "|" + (item.TryGetValue(Keys.SortKey, out var sk) ? sk.S : "?");

    private static string Show(string key) => key.EndsWith("|" + Keys.Profile, StringComparison.Ordinal) ? key.Split('|')[0] : key.Replace('|', ' ');

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

    private static string Describe(ReadRequest request) =>
        $"{(request.Operation == ReadRequest.PartiQl ? "PartiQL statement" : request.Operation)} on {(Target(request) is { } index ? index : "the table")}";

    /// <summary>The index a read used, or null for the table; for PartiQL, the index its FROM names.</summary>
    internal static string? Target(ReadRequest request)
    {
        if (request.Operation != ReadRequest.PartiQl) return request.IndexName;
        var from = FromClause().Match(request.KeyCondition ?? "");
        return from.Success && from.Groups["index"].Success ? from.Groups["index"].Value : null;
    }

    [GeneratedRegex("""\bFROM\s+"[^"]+"\s*(\.\s*"(?<index>[^"]+)")?""", RegexOptions.IgnoreCase)]
    private static partial Regex FromClause();
}
