using System.Collections.Concurrent;

namespace Mlm.Workbook;

/// <summary>How <see cref="MlmStore.GetWholeDownlineAsync"/> walks the tree.</summary>
public enum DownlineStrategy
{
    /// <summary>Query level by level while that reads less than scanning the table would; scan past that.</summary>
    Auto,
    /// <summary>Breadth first: one <c>recruited_by-index</c> query per member found, a level's queries in parallel.</summary>
    QueryLevels,
    /// <summary>One paged scan of the table, then the tree built in memory.</summary>
    ScanTable,
}

/// <summary>A member of a downline and how far below the root it sits (1 = recruited by the root).</summary>
public sealed record DownlineMember(Member Member, int Level);

/// <summary>A member's whole downline, level by level, and what reading it cost.</summary>
/// <param name="RootId">The member whose downline this is.</param>
/// <param name="Members">Every member below the root, ordered by level, then id.</param>
/// <param name="Strategy">The strategy that produced it (never Auto).</param>
/// <param name="Requests">Read requests sent.</param>
/// <param name="CapacityUnits">Read capacity as the endpoint reported it (DynamoDB Local's own figure when local).</param>
public sealed record Downline(string RootId, IReadOnlyList<DownlineMember> Members, DownlineStrategy Strategy, int Requests, double CapacityUnits)
{
    /// <summary>Read units by AWS's rules, summed over every request (see <see cref="ReadResult.AwsReadUnits"/>).</summary>
    public double AwsReadUnits { get; init; }

    /// <summary>How many levels deep the downline goes (0 when empty).</summary>
    public int Depth => Members.Count == 0 ? 0 : Members[^1].Level;
}

/// <summary>Walks a member's whole downline.</summary>
internal static class DownlineWalker
{
    /// <summary>
    /// Breadth first over the index. Stops early (returning null) once more than <paramref name="queryBudget"/> queries
    /// would be needed, so that <see cref="DownlineStrategy.Auto"/> can switch to a scan.
    /// </summary>
    public static async Task<Downline?> QueryLevelsAsync(MlmStore store, string rootId, int concurrency, int queryBudget, CancellationToken cancellationToken)
    {
        var found = new List<DownlineMember>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { rootId };
        var frontier = new List<string> { rootId };
        var requests = 0;
        var capacity = 0.0;
        var awsUnits = 0.0;
        for (var level = 1; frontier.Count > 0; level++)
        {
            if (requests + frontier.Count > queryBudget) return null;
            var levelResults = new ConcurrentBag<ReadResult>();
            await Parallel.ForEachAsync(frontier, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                async (parent, token) => levelResults.Add(await store.GetDownlineAsync(parent, token).ConfigureAwait(false))).ConfigureAwait(false);
            requests += levelResults.Sum(r => r.Pages);
            capacity += levelResults.Sum(r => r.CapacityUnits);
            awsUnits += levelResults.Sum(r => r.AwsReadUnits);
            // A member already seen would mean a cycle; the visited set keeps the walk finite whatever the data holds.
            var next = levelResults.SelectMany(r => r.Members()).Where(m => visited.Add(m.Id)).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            found.AddRange(next.Select(m => new DownlineMember(m, level)));
            frontier = next.Select(m => m.Id).ToList();
        }
        return new Downline(rootId, found, DownlineStrategy.QueryLevels, requests, capacity) { AwsReadUnits = awsUnits };
    }

    /// <summary>One scan of the table, then the walk in memory (see <see cref="Organisation.Downline"/>).</summary>
    public static async Task<Downline> ScanTableAsync(MlmStore store, string rootId, CancellationToken cancellationToken)
    {
        var scan = await store.ScanAsync(cancellationToken).ConfigureAwait(false);
        var organisation = new Organisation(scan.Members(), []);
        var found = organisation.Has(rootId) ? organisation.Downline(rootId) : [];
        return new Downline(rootId, found, DownlineStrategy.ScanTable, scan.Pages, scan.CapacityUnits) { AwsReadUnits = scan.AwsReadUnits };
    }
}
