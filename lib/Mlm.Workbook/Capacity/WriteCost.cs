namespace Mlm.Workbook.Capacity;

/// <summary>One write a change makes to the table or to one index, and its write units by AWS's rules.</summary>
/// <param name="Target">The table, or the index written.</param>
/// <param name="Action">put, update, delete, or "delete + put" when the index key changed.</param>
/// <param name="Bytes">The size of the item or index entry written (the larger one for an update or a delete + put).</param>
/// <param name="Units">Write capacity units.</param>
public sealed record WriteLine(string Target, string Action, int Bytes, double Units);

/// <summary>What one item write costs, table and indexes together, by AWS's rules.</summary>
/// <param name="Lines">The table's write first, then one line per index the write touches.</param>
public sealed record WriteCost(IReadOnlyList<WriteLine> Lines)
{
    /// <summary>Write units over the table and every index.</summary>
    public double Units => Lines.Sum(line => line.Units);

    /// <summary>How many writes DynamoDB makes: one for the table, one per index put or delete, two for a delete + put.</summary>
    public int Writes => Lines.Sum(line => line.Action == CapacityRules.DeleteAndPut ? 2 : 1);
}
