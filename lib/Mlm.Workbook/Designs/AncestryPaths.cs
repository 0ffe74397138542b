using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook.Designs;

/// <summary>Where a member sits in the tree: the ids from the root down to the member itself.</summary>
/// <param name="Ids">The root's id first, the member's own id last.</param>
public sealed record Ancestry(IReadOnlyList<string> Ids)
{
    /// <summary>The separator between the ids of a path.</summary>
    public const char Separator = '#';

    /// <summary>The organisation's root.</summary>
    public string RootId => Ids[0];

    /// <summary>The member whose ancestry this is.</summary>
    public string MemberId => Ids[^1];

    /// <summary>The member's upline, nearest first: the recruiter, the recruiter's recruiter, … up to the root.</summary>
    public IReadOnlyList<string> Ancestors => Ids.Take(Ids.Count - 1).Reverse().ToList();

    /// <summary>The path as stored: <c>001#004#017</c>. Ids of one data set have one width, so a path sorts by its branches.</summary>
    public string Path => string.Join(Separator, Ids);

    /// <summary>What every path below the member starts with: <c>001#004#</c>. The separator keeps <c>004</c> from matching <c>0041</c>.</summary>
    public string DownlinePrefix => Path + Separator;

    /// <summary>How many levels below this member a path sits (1 = a direct recruit).</summary>
    public int LevelOf(string path) => (path ?? throw new ArgumentNullException(nameof(path))).Split(Separator).Length - Ids.Count;
}

/// <summary>A downline read through the ancestry path: the member's profile (for its path), then one query.</summary>
/// <param name="ProfileRead">The GetItem that read the member's path.</param>
/// <param name="Query">The <c>begins_with</c> query on <c>path-index</c>.</param>
/// <param name="Members">Everyone below the member, ordered by level, then id, as <see cref="Organisation.Downline"/> orders them.</param>
public sealed record PathDownline(ReadResult ProfileRead, ReadResult Query, IReadOnlyList<DownlineMember> Members)
{
    /// <summary>Requests sent: the GetItem and the query's pages.</summary>
    public int Requests => ProfileRead.Pages + Query.Pages;

    /// <summary>Read units by AWS's rules, both requests together.</summary>
    public double AwsReadUnits => ProfileRead.AwsReadUnits + Query.AwsReadUnits;

    /// <summary>Read units the endpoint reported, both requests together.</summary>
    public double CapacityUnits => ProfileRead.CapacityUnits + Query.CapacityUnits;
}

/// <summary>
/// The tree in the keys: each member carries its ancestry path (<c>ancestry_path = 001#004#017</c>) as the sort key of
/// <c>path-index</c>, under the root's key, so that one query, <c>begins_with(ancestry_path, 001#004#)</c>, returns a whole downline.
/// The price is paid on writes: a member's path is written when they join, and moving a member to another recruiter
/// rewrites the path of every member below them.
/// </summary>
public static class AncestryPaths
{
    /// <summary>A member's ancestry, from the organisation's tree.</summary>
    /// <exception cref="InvalidOperationException">The recruiters loop back on themselves.</exception>
    public static Ancestry Of(Organisation organisation, string memberId)
    {
        if (organisation is null) throw new ArgumentNullException(nameof(organisation));
        var ids = new List<string> { organisation.Member(memberId).Id };
        var seen = new HashSet<string>(ids, StringComparer.Ordinal);
        for (var recruiter = organisation.Member(ids[0]).RecruitedBy; recruiter is not null; recruiter = organisation.Member(recruiter).RecruitedBy)
        {
            if (!seen.Add(recruiter)) throw new InvalidOperationException($"{Keys.User(memberId)}'s recruiters loop back to {Keys.User(recruiter)}.");
            ids.Add(recruiter);
        }
        ids.Reverse();
        return new Ancestry(ids);
    }

    /// <summary>
    /// A member's whole downline in two requests, whatever its size: a GetItem for the member's path, then
    /// <c>tree_root = :root AND begins_with(ancestry_path, :prefix)</c> on <c>path-index</c>, paging through.
    /// </summary>
    /// <exception cref="ArgumentException">There is no such member in the table.</exception>
    public static async Task<PathDownline> GetDownlineAsync(DesignsTable table, string memberId, CancellationToken cancellationToken = default)
    {
        if (table is null) throw new ArgumentNullException(nameof(table));
        var profile = await GetProfileAsync(table, memberId, cancellationToken).ConfigureAwait(false);
        if (profile.Count == 0) throw new ArgumentException($"There is no member {Keys.User(memberId)} in {table.TableName}.", nameof(memberId));
        var item = profile.Items[0];
        var ancestry = new Ancestry(ItemValues.RequiredString(item, DesignsTable.Path).Split(Ancestry.Separator));
        var query = await table.QueryAsync(DesignsTable.PathIndex, $"{DesignsTable.TreeRoot} = :root AND begins_with({DesignsTable.Path}, :prefix)",
            new() { [":root"] = ItemValues.RequiredString(item, DesignsTable.TreeRoot), [":prefix"] = ancestry.DownlinePrefix }, cancellationToken).ConfigureAwait(false);
        var members = query.Items.Select(found => new DownlineMember(Member.FromItem(found), ancestry.LevelOf(ItemValues.RequiredString(found, DesignsTable.Path))))
            .OrderBy(m => m.Level).ThenBy(m => m.Member.Id, StringComparer.Ordinal).ToList();
        return new PathDownline(profile, query, members);
    }

    private static Task<ReadResult> GetProfileAsync(DesignsTable table, string memberId, CancellationToken cancellationToken) =>
        PagedReader.GetItemAsync(table.Client, table.TableName, Keys.ProfileKey(memberId), cancellationToken);
}
