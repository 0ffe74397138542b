using Mlm.Workbook.Capacity;

namespace Mlm.Workbook.Designs;

/// <summary>One kind of write, summed: how many requests, how many table and index writes, and their units.</summary>
/// <param name="Write">What was written.</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="Writes">Table and index writes they made.</param>
/// <param name="WriteUnitsAws">Write units by AWS's rules.</param>
/// <param name="LocalReported">Write units the endpoint reported (DynamoDB Local's own figure when local).</param>
public sealed record WriteSum(string Write, int Requests, int Writes, double WriteUnitsAws, double LocalReported);

/// <summary>Write costs summed by kind of write, in the order the kinds first appear.</summary>
public sealed class WriteTally
{
    private readonly List<WriteSum> _sums = [];

    /// <summary>Adds one measured write to its kind's sum.</summary>
    public void Add(string kind, MeasuredWrite write)
    {
        if (write is null) throw new ArgumentNullException(nameof(write));
        var index = _sums.FindIndex(sum => sum.Write == kind);
        var previous = index < 0 ? new WriteSum(kind, 0, 0, 0, 0) : _sums[index];
        var next = previous with
        {
            Requests = previous.Requests + 1,
            Writes = previous.Writes + write.Aws.Writes,
            WriteUnitsAws = previous.WriteUnitsAws + write.Aws.Units,
            LocalReported = previous.LocalReported + write.Reported.Values.Sum(),
        };
        if (index < 0) _sums.Add(next); else _sums[index] = next;
    }

    /// <summary>The sums, one per kind.</summary>
    public IReadOnlyList<WriteSum> Sums => _sums.ToList();

    /// <summary>The sum for one kind (zeros when there was none).</summary>
    public WriteSum this[string kind] => _sums.Find(sum => sum.Write == kind) ?? new WriteSum(kind, 0, 0, 0, 0);
}
