using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// The design exercises: a new access pattern end to end, on a copy of the table of the exercise's own (an index added
/// to the workbook's table would change its shape for every other notebook). The answer adds a global secondary index,
/// backfills the items it needs, and reads it; the check judges the index, the items and the read, then deletes the copy.
/// </summary>
internal static class DesignExercises
{
    public const string RangeMember = "005";
    public static readonly DateOnly RangeFrom = new(2025, 2, 1);
    public static readonly DateOnly RangeTo = new(2025, 2, 11);

    private const string CleanUpNote = "(The check then deleted the exercise's own table; run the answer cell again to redo the exercise.)";

    public static readonly ExerciseDefinition DateRange =
        new(new("13-1", "13-other-key-designs.ipynb", $"Design it: member {RangeMember}'s sales from {ExerciseCatalogue.Day(RangeFrom)} to {ExerciseCatalogue.Day(RangeTo)}, in one Query",
                "a new access pattern: the date in a sort key, a backfill, BETWEEN"), JudgeDateRange)
        {
            Prepare = (store, cancellationToken) => CopyTableAsync(store, "13-1", cancellationToken),
            CleanUp = DeleteCopyAsync,
            CleanUpNote = CleanUpNote,
        };

    public static readonly ExerciseDefinition SparseIndex =
        new(new("13-2", "13-other-key-designs.ipynb", "Design it: every member who has made a sale, reading no one else", "a sparse index made on purpose"), JudgeSparseIndex)
        {
            Prepare = (store, cancellationToken) => CopyTableAsync(store, "13-2", cancellationToken),
            CleanUp = DeleteCopyAsync,
            CleanUpNote = CleanUpNote,
        };

    /// <summary>The name of an exercise's own copy of a table.</summary>
    public static string CopyName(string tableName, string exerciseId) => $"{tableName}-exercise-{exerciseId}";

    private static Task<Verdict> JudgeDateRange(Attempt attempt, CancellationToken cancellationToken)
    {
        if (ChooseIndex(attempt) is not { } index)
            return Task.FromResult(Verdict.Fail("the table has no global secondary index yet: add one with UpdateTable (GlobalSecondaryIndexUpdates → Create) whose sort key is a new attribute holding the sale's date, and wait until it is ACTIVE"));
        var (partition, sort) = KeysOf(index);
        if (sort is null)
            return Task.FromResult(Verdict.Fail($"the index {index.IndexName} has no sort key: a range of dates needs the date in the sort key"));
        var sales = attempt.TableItems.Where(Sale.IsSale).ToList();
        var missing = sales.Where(s => !s.ContainsKey(sort)).ToList();
        if (missing.Count > 0)
            return Task.FromResult(Verdict.Fail($"{ReadTask.Count(missing.Count, "sale")} of {sales.Count} have no {sort} ({ReadTask.ShowKeys(missing.Select(Attempt.KeyOf).ToList())}): " +
                                                "an index holds only the items that have its key attributes, so backfill every existing sale, not only the ones the query wants"));
        foreach (var sale in sales)
        {
            var date = Keys.DateOf(sale[Attributes.SaleDate].S);
            var value = sale[sort].S ?? sale[sort].N ?? "";
            var bare = value.StartsWith(Keys.DatePrefix, StringComparison.Ordinal) ? value.Substring(Keys.DatePrefix.Length) : value;
            if (!bare.StartsWith(date.ToString("yyyyMMdd", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                && !bare.StartsWith(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal))
                return Task.FromResult(Verdict.Fail($"the sale {Attempt.KeyOf(sale).Replace('|', ' ')} has {sort} = '{value}': start it with the sale's date ({date:yyyyMMdd}), so that the index sorts each member's sales by date"));
            if (partition is not null && sale.GetValueOrDefault(partition)?.S != sale[Keys.PartitionKey].S)
                return Task.FromResult(Verdict.Fail($"the index's partition key {partition} holds '{sale.GetValueOrDefault(partition)?.S}' for a sale of {sale[Keys.PartitionKey].S}: it should hold the member, so that one query reads one member's sales"));
        }

        var task = new ReadTask(data =>
            {
                bool InRange(Sale s) => s.MemberId == RangeMember && s.Date >= RangeFrom && s.Date <= RangeTo;
                return Expectation.Of(data.Sales.Where(InRange),
                [
                    Mistake.Of(data.Sales.Where(s => InRange(s) && s.Date < RangeTo),
                        $"these leave out the sales of {ExerciseCatalogue.Day(RangeTo)}: a value that goes on after the date ('…{RangeTo:yyyyMMdd}#SALE#…') sorts after the bare date, so end the range past it"),
                    Mistake.Of(data.Sales.Where(s => s.MemberId == RangeMember), $"these are all of member {RangeMember}'s sales; bound the sort key to the range"),
                ]);
            },
            [index.IndexName], $"query your index {index.IndexName} once: the member in the partition key, {sort} BETWEEN the first and the last day",
            $"nothing came back: the partition key value is USER#{RangeMember}, and the bounds must be written as {sort}'s values are")
        {
            MostReads = _ => 1,
            Sent = narrowed => narrowed.FirstPages.SelectMany(narrowed.KeyParts).FirstOrDefault(p => p.Attribute == sort) is { } bound && bound.Operator != "BETWEEN"
                ? $"your key condition has {bound.Text}: a range of days has two ends, {sort} BETWEEN :from AND :to"
                : null,
        };
        var verdict = task.Judge(attempt.Narrowed(r => r.IndexName == index.IndexName || !r.IsRead));
        return Task.FromResult(verdict.Passed ? Verdict.Pass($"{verdict.Message}; every sale backfilled with {sort}") : verdict);
    }

    private static Task<Verdict> JudgeSparseIndex(Attempt attempt, CancellationToken cancellationToken)
    {
        if (ChooseIndex(attempt) is not { } index)
            return Task.FromResult(Verdict.Fail("the table has no global secondary index yet: add one with UpdateTable (GlobalSecondaryIndexUpdates → Create) keyed on an attribute that only sellers' profiles will have, and wait until it is ACTIVE"));
        var (partition, sort) = KeysOf(index);
        var sellers = attempt.Data.Members.Where(m => attempt.Data.Sales.Any(s => s.MemberId == m.Id)).Select(TableData.Key).ToHashSet(StringComparer.Ordinal);
        var indexed = attempt.TableItems.Where(i => partition is not null && i.ContainsKey(partition) && (sort is null || i.ContainsKey(sort))).Select(Attempt.KeyOf).ToHashSet(StringComparer.Ordinal);
        var extra = indexed.Where(k => !sellers.Contains(k)).ToList();
        if (extra.Count > 0)
            return Task.FromResult(Verdict.Fail($"{ReadTask.Count(extra.Count, "item")} that {(extra.Count == 1 ? "is" : "are")} not a seller's profile carr{(extra.Count == 1 ? "ies" : "y")} {partition} ({ReadTask.ShowKeys(extra)}), so the index {index.IndexName} holds {(extra.Count == 1 ? "it" : "them")} too: " +
                                                "an index holds every item that has its key attributes, so write the attribute on sellers' profiles only"));
        var unmarked = sellers.Where(k => !indexed.Contains(k)).ToList();
        if (unmarked.Count > 0)
            return Task.FromResult(Verdict.Fail($"{ReadTask.Count(unmarked.Count, "seller")} ha{(unmarked.Count == 1 ? "s" : "ve")} no {partition} ({ReadTask.ShowKeys(unmarked)}): backfill every member who has made a sale"));

        var task = new ReadTask(data => Expectation.Of(data.Members.Where(m => sellers.Contains(TableData.Key(m))), []),
            [index.IndexName], $"read your index {index.IndexName}, which holds the sellers only",
            "nothing came back: read the index itself (a Scan of a sparse index reads only the items it holds)")
        {
            MostReads = _ => 1,
            ScansAllowed = true,
        };
        var verdict = task.Judge(attempt.Narrowed(r => r.IndexName == index.IndexName || !r.IsRead));
        return Task.FromResult(verdict.Passed
            ? Verdict.Pass($"{verdict.Message}: it read {ReadTask.Count(attempt.Reads.Where(r => r.IndexName == index.IndexName).Sum(r => r.ScannedCount), "item")}, where a scan of the table reads {attempt.TableItems.Count}")
            : verdict);
    }

    /// <summary>The index the answer read (the last one read), or the table's only one.</summary>
    private static GlobalSecondaryIndexDescription? ChooseIndex(Attempt attempt)
    {
        var indexes = attempt.Tables.GetValueOrDefault(attempt.Store.TableName)?.GlobalSecondaryIndexes ?? [];
        var read = attempt.Reads.LastOrDefault(r => r.TableName == attempt.Store.TableName && r.IndexName is not null)?.IndexName;
        return indexes.FirstOrDefault(i => i.IndexName == read) ?? indexes.FirstOrDefault();
    }

    private static (string? Partition, string? Sort) KeysOf(GlobalSecondaryIndexDescription index) =>
        (index.KeySchema?.FirstOrDefault(k => k.KeyType == KeyType.HASH)?.AttributeName, index.KeySchema?.FirstOrDefault(k => k.KeyType == KeyType.RANGE)?.AttributeName);

    /// <summary>A fresh copy of the store's table: its key schema, no index, and its members and sales.</summary>
    private static async Task<MlmStore> CopyTableAsync(MlmStore store, string exerciseId, CancellationToken cancellationToken)
    {
        var copy = new MlmStore(store.Client, CopyName(store.TableName, exerciseId), store.ConfirmDeletes);
        await TableDefinition.DeleteAsync(store.Client, copy.TableName, cancellationToken: cancellationToken).ConfigureAwait(false);
        await store.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = copy.TableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new(Keys.PartitionKey, ScalarAttributeType.S), new(Keys.SortKey, ScalarAttributeType.S)],
            KeySchema = [new(Keys.PartitionKey, KeyType.HASH), new(Keys.SortKey, KeyType.RANGE)],
        }, cancellationToken).ConfigureAwait(false);
        await TableDefinition.WaitUntilActiveAsync(store.Client, copy.TableName, cancellationToken: cancellationToken).ConfigureAwait(false);
        var scan = await store.ScanAsync(cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(scan.Items.Where(i => Member.IsMember(i) || Sale.IsSale(i)), cancellationToken: cancellationToken).ConfigureAwait(false);
        return copy;
    }

    private static Task DeleteCopyAsync(MlmStore copy, CancellationToken cancellationToken) =>
        TableDefinition.DeleteAsync(copy.Client, copy.TableName, cancellationToken: cancellationToken);
}
