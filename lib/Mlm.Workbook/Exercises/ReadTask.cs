namespace Mlm.Workbook;

/// <summary>
/// A reading exercise: what the answer should hold, where it may read it from, and how many reads it may take. Its
/// judge goes from what was sent to what came back, and stops at the first mistake, naming it with what was sent:
/// no read at all; items no request returned; a scan; the wrong table or index; the task's own rule about what was
/// sent (<see cref="Sent"/>); a filter that paid for items it dropped; the wrong items; too many reads; the task's rule
/// about the result (<see cref="Result"/>).
/// </summary>
/// <param name="Expect">What the answer should hold, and the likely mistakes, from the data.</param>
/// <param name="Targets">The table (null) and indexes the reads may use.</param>
/// <param name="TargetHint">The road the task practises, said when a read took another.</param>
/// <param name="EmptyHint">What to say when the answer holds nothing.</param>
internal sealed record ReadTask(Func<TableData, Expectation> Expect, IReadOnlyList<string?> Targets, string TargetHint, string EmptyHint)
{
    /// <summary>The most reads the task needs (continuation pages not counted), from the data; null for no limit.</summary>
    public Func<TableData, int>? MostReads { get; init; }

    /// <summary>Whether the task allows conditions applied after reading (a filter, or PartiQL conditions off the keys).</summary>
    public bool FiltersAllowed { get; init; }

    /// <summary>Whether a scan is the road (of a sparse index, which holds only what the task wants).</summary>
    public bool ScansAllowed { get; init; }

    /// <summary>The task's own rule about what was sent: null when it holds, or the hint.</summary>
    public Func<Attempt, string?>? Sent { get; init; }

    /// <summary>The task's own rule about a right result (its cost, its pages): null when it holds, or the hint.</summary>
    public Func<Attempt, string?>? Result { get; init; }

    public Verdict Judge(Attempt attempt)
    {
        var reads = attempt.Reads;
        if (reads.Count == 0)
            return Verdict.Fail(attempt.Sent.FirstOrDefault(r => r.Error is not null) is { } failed
                ? $"your read failed: {failed} — {failed.Error!.Message}"
                : "no read reached DynamoDB between Exercise.BeginAsync and this check: build the answer from what a read returns");

        var returned = attempt.ReturnedKeys;
        var invented = attempt.AnswerKeys.Where(k => !returned.Contains(k)).Distinct().ToList();
        if (invented.Count > 0)
            return Verdict.Fail($"the answer holds {Count(invented.Count, "item")} that none of your requests returned ({ShowKeys(invented)}): " +
                                "an answer is what DynamoDB sent back, not items made or kept from elsewhere");

        if (!ScansAllowed && reads.FirstOrDefault(attempt.IsScan) is { } scan)
            return Verdict.Fail(scan.Operation == ReadRequest.PartiQl
                ? $"your statement has no equality on the partition key of what it reads ({attempt.KeySchemaOf(scan).Partition}), so DynamoDB scans every item: {TargetHint}"
                : $"a Scan reads every item of the {(scan.IndexName is null ? "table" : "index " + scan.IndexName)}: {TargetHint}");
        if (reads.FirstOrDefault(r => !Targets.Contains(r.IndexName)) is { } wrongRoad)
            return Verdict.Fail($"your {wrongRoad.Operation} read {(wrongRoad.IndexName is null ? "the table" : wrongRoad.IndexName)} ({wrongRoad}): {TargetHint}");

        if (Sent?.Invoke(attempt) is { } sentHint) return Verdict.Fail(sentHint);

        if (!FiltersAllowed && reads.FirstOrDefault(r => attempt.Dropped(r) > 0) is { } filtered)
            return Verdict.Fail($"the condition {string.Join(" AND ", attempt.FilterParts(filtered).Select(p => p.Text))} is applied after reading: " +
                                $"the read paid for {Count(attempt.Examined(filtered).Count, "item")} and dropped {attempt.Dropped(filtered)}. Put the bound in the key condition instead");

        var expectation = Expect(attempt.Data);
        var got = attempt.AnswerKeys.ToHashSet(StringComparer.Ordinal);
        if (!got.SetEquals(expectation.Keys))
        {
            if (got.Count == 0) return Verdict.Fail(EmptyHint);
            if (expectation.Mistakes.FirstOrDefault(m => m.Keys.SetEquals(got)) is { } mistake) return Verdict.Fail(mistake.Hint);
            var extra = got.Where(k => !expectation.Keys.Contains(k)).Order(StringComparer.Ordinal).ToList();
            var missing = expectation.Keys.Count(k => !got.Contains(k));
            var parts = new List<string> { $"{got.Count - extra.Count} of the {expectation.Keys.Count} expected items" };
            if (missing > 0) parts.Add($"{missing} missing");
            if (extra.Count > 0) parts.Add($"{extra.Count} that do not belong ({ShowKeys(extra)})");
            return Verdict.Fail(string.Join("; ", parts) + $". You sent: {attempt.Show(reads)}. " + Capitalize(TargetHint) + ".");
        }

        var firstPages = attempt.FirstPages;
        if (MostReads?.Invoke(attempt.Data) is { } most && firstPages.Count > most)
            return Verdict.Fail($"the right items, but in {firstPages.Count} reads ({attempt.Show(firstPages)}); the task needs {(most == 1 ? "one" : $"at most {most}")}: {TargetHint}");
        if (attempt.AnswerKeys.Count != got.Count)
            return Verdict.Fail($"the right items, but {attempt.AnswerKeys.Count - got.Count} of them twice: answer with each item once");

        if (Result?.Invoke(attempt) is { } resultHint) return Verdict.Fail(resultHint);

        var roads = reads.GroupBy(r => $"{(r.Operation == ReadRequest.PartiQl ? "PartiQL statement" : r.Operation)} on {(r.IndexName ?? "the table")}")
            .Select(g => g.Count() == 1 ? g.Key : $"{g.Count()} × {g.Key}");
        return Verdict.Pass($"{Count(got.Count, "item")}, as the data says, by {string.Join(" and ", roads)}");
    }

    public static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    public static string ShowKeys(IReadOnlyCollection<string> keys) =>
        string.Join(", ", keys.Take(3).Select(k => k.EndsWith("|" + Keys.Profile, StringComparison.Ordinal) ? k.Split('|')[0] : k.Replace('|', ' '))) + (keys.Count > 3 ? ", …" : "");

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
}
