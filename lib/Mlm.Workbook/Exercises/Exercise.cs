using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DocumentModel;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// The workbook's exercises and their checks. An answer cell starts with <see cref="BeginAsync"/>, which records every
/// request the store's client sends from then on; the check judges those requests, not the object the answer returns:
/// what they read (the table or which index, by key condition or by scan), what their filters dropped, how many there
/// were, what they cost by AWS's rules, and whether the answer's items are what they returned. It reads the table
/// itself to compute what the answer should hold. Any route that sends the right requests passes: the library's
/// helpers, a request object through <c>store.Client</c>, the document model or PartiQL.
/// </summary>
public static class Exercise
{
    // Which exercise each answer object was last checked for: a cell that failed leaves the previous exercise's answer in place.
    private static readonly ConditionalWeakTable<object, string> CheckedFor = new();

    /// <summary>Every exercise, in course order.</summary>
    public static IReadOnlyList<ExerciseInfo> All { get; } = Array.AsReadOnly(ExerciseCatalogue.All.Select(e => e.Info).ToArray());

    /// <summary>
    /// Starts an exercise: from now until its check, every request the store's client sends is recorded for the check
    /// to judge. Exercises that change a table's design get a fresh copy of the table to work on.
    /// </summary>
    /// <param name="store">The notebook's store.</param>
    /// <param name="id">The exercise, such as <c>"04-1"</c>.</param>
    /// <param name="cancellationToken">Cancels preparing the exercise's table.</param>
    /// <returns>The store the answer works on: <paramref name="store"/> itself, or a copy of its table for a design exercise.</returns>
    /// <exception cref="ArgumentException">No exercise has that id.</exception>
    public static async Task<MlmStore> BeginAsync(MlmStore store, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var exercise = Find(id);
        var work = exercise.Prepare is null ? store : await exercise.Prepare(store, cancellationToken).ConfigureAwait(false);
        RequestLog.For(store.Client).Start(id, work.TableName);
        return work;
    }

    /// <summary>Checks an answer: the requests sent since <see cref="BeginAsync"/>, and the items the answer holds.</summary>
    /// <param name="store">The notebook's store.</param>
    /// <param name="id">The exercise, such as <c>"04-1"</c>.</param>
    /// <param name="answer">
    /// What the reads returned: a <see cref="ReadResult"/>, an SDK response (<c>QueryResponse</c>, <c>GetItemResponse</c>,
    /// <c>ExecuteStatementResponse</c>, …), items, documents, members or sales, or a list of any of these. Null, or an empty
    /// list, is the placeholder: "not attempted yet".
    /// </param>
    /// <param name="cancellationToken">Cancels the check's own reads.</param>
    /// <exception cref="ArgumentException">No exercise has that id.</exception>
    public static async Task<ExerciseResult> CheckAsync(MlmStore store, string id, object? answer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var exercise = Find(id);
        var info = exercise.Info;
        ExerciseResult Result(ExerciseStatus status, string message) => new(info.Id, info.Title, status, message);

        if (answer is null || answer is System.Collections.ICollection { Count: 0 })
        {
            // An exercise begun and left: what it prepared (a copy of the table) goes all the same.
            if (exercise.CleanUp is { } cleanUpLeft && RequestLog.For(store.Client).Stop(info.Id) is { } left)
                await cleanUpLeft(WorkStore(store, left), cancellationToken).ConfigureAwait(false);
            return Result(ExerciseStatus.NotAttempted, ExerciseResult.NotAttemptedMessage);
        }
        if (CheckedFor.TryGetValue(answer, out var previous) && previous != info.Id)
            return Result(ExerciseStatus.NotAttempted,
                $"{ExerciseResult.NotAttemptedMessage}: answer still holds exercise {previous}'s answer (did the cell above stop with an error?)");
        CheckedFor.AddOrUpdate(answer, info.Id);

        var recording = RequestLog.For(store.Client).Stop(info.Id);
        if (recording is null)
            return Result(ExerciseStatus.Failed,
                $"there is no record of the requests your answer sent: run the answer cell again from its first line, `await Exercise.BeginAsync(store, \"{info.Id}\")`, which starts recording them, then this check");
        var answerItems = ItemsOf(answer);
        if (answerItems is null)
            return Result(ExerciseStatus.Failed,
                $"the answer is a {answer.GetType().Name}; give what DynamoDB returned: the ReadResult or SDK response of your read, its items, or a list of these");

        var work = WorkStore(store, recording);
        Attempt attempt;
        try
        {
            attempt = await ReadAttemptAsync(work, recording.Requests, answerItems, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            return Result(ExerciseStatus.Failed, $"the table \"{work.TableName}\" the answer worked on is gone: run the answer cell again from its first line");
        }
        Verdict verdict;
        try
        {
            verdict = await exercise.Judge(attempt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (exercise.CleanUp is { } cleanUp) await cleanUp(work, cancellationToken).ConfigureAwait(false);
        }
        var reads = attempt.Reads;
        // The endpoint's own figure only when every read asked for it (DynamoDB Local reports 0 for PartiQL: none, then).
        var reported = reads.All(r => r.ReportedUnits is not null) && !(reads.Any(r => r.Operation == ReadRequest.PartiQl) && reads.Sum(r => r.ReportedUnits!.Value) == 0)
            ? reads.Sum(r => r.ReportedUnits!.Value) : (double?)null;
        return new ExerciseResult(info.Id, info.Title, verdict.Passed ? ExerciseStatus.Passed : ExerciseStatus.Failed,
            verdict.Message + (verdict.Passed ? "" : IndexLagNote(work.Client, recording.Requests)) + (exercise.CleanUp is null ? "" : $" {exercise.CleanUpNote}"),
            reported, reads.Count, reads.Sum(attempt.AwsUnits));
    }

    /// <summary>
    /// On AWS, an index read right after the answer's own writes may not show them yet (global secondary indexes are
    /// eventually consistent), so a failed check of such an answer says so; DynamoDB Local's indexes never lag.
    /// </summary>
    internal static string IndexLagNote(IAmazonDynamoDB client, IReadOnlyList<SentRequest> requests)
    {
        var firstWrite = requests.ToList().FindIndex(r => !r.IsRead && r.Operation is "PutItem" or "UpdateItem" or "DeleteItem" or "BatchWriteItem" or "TransactWriteItems" or "UpdateTable");
        var indexReadAfter = firstWrite >= 0 && requests.Skip(firstWrite + 1).Any(r => r.IsRead && r.IndexName is not null);
        return indexReadAfter && Endpoints.IsAws(client)
            ? " (On AWS an index read right after your own writes can miss them for a moment, as indexes are updated a little later: if the answer looks right, run its cell again, then this check.)"
            : "";
    }

    private static MlmStore WorkStore(MlmStore store, Recording recording) =>
        recording.TableName == store.TableName ? store : new MlmStore(store.Client, recording.TableName, store.ConfirmDeletes);

    private static ExerciseDefinition Find(string id) =>
        ExerciseCatalogue.All.FirstOrDefault(e => e.Info.Id == id)
        ?? throw new ArgumentException($"There is no exercise \"{id}\"; the exercises are {string.Join(", ", All.Select(e => e.Id))}.", nameof(id));

    private static async Task<Attempt> ReadAttemptAsync(MlmStore work, IReadOnlyList<SentRequest> sent,
        IReadOnlyList<Dictionary<string, AttributeValue>> answerItems, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, TableDescription>(StringComparer.Ordinal);
        foreach (var name in sent.Select(r => r.TableName).Append(work.TableName).OfType<string>().Distinct())
        {
            try
            {
                tables[name] = (await work.Client.DescribeTableAsync(name, cancellationToken).ConfigureAwait(false)).Table;
            }
            catch (ResourceNotFoundException)
            {
                // A table that is gone has no key schema to judge by; its reads count as reads of the table.
            }
        }
        var scan = await work.ScanAsync(cancellationToken).ConfigureAwait(false);
        return new Attempt(work, new TableData(scan.Members(), scan.Sales()), scan.Items, sent, answerItems, tables);
    }

    /// <summary>The items an answer holds, whatever form it has; null for a form that holds no items.</summary>
    internal static IReadOnlyList<Dictionary<string, AttributeValue>>? ItemsOf(object answer)
    {
        switch (answer)
        {
            case ReadResult read: return read.Items.ToList();
            case QueryResponse query: return query.Items ?? [];
            case ScanResponse scan: return scan.Items ?? [];
            case GetItemResponse get: return get.Item is { Count: > 0 } item ? [item] : [];
            case ExecuteStatementResponse statement: return statement.Items ?? [];
            case BatchGetItemResponse batch: return (batch.Responses ?? []).SelectMany(r => r.Value ?? []).ToList();
            case Amazon.Runtime.AmazonWebServiceResponse: return []; // a write's response: the check judges the writes sent
            case Dictionary<string, AttributeValue> one: return [one];
            case Document document: return [document.ToAttributeMap()];
            case Member member: return [member.ToItem()];
            case Sale sale: return [sale.ToItem()];
            case string: return null;
            case System.Collections.IEnumerable many:
                var items = new List<Dictionary<string, AttributeValue>>();
                foreach (var part in many)
                {
                    if (part is null) continue;
                    if (ItemsOf(part) is not { } partItems) return null;
                    items.AddRange(partItems);
                }
                return items;
            default: return null;
        }
    }
}

/// <summary>A check's finding: passed or not, and why.</summary>
internal sealed record Verdict(bool Passed, string Message)
{
    public static Verdict Pass(string message) => new(true, message);

    public static Verdict Fail(string message) => new(false, message);
}
