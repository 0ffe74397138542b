namespace Mlm.Workbook.Capacity;

/// <summary>How a read is served, which sets what 4 KB of it costs.</summary>
public enum ReadConsistency
{
    /// <summary>The default: may miss a write made a moment ago; half a read unit per 4 KB. The only kind a GSI serves.</summary>
    Eventual,
    /// <summary>Sees every write acknowledged before it (table and LSI only); one read unit per 4 KB.</summary>
    Strong,
    /// <summary>Part of a TransactGetItems; two read units per 4 KB.</summary>
    Transactional,
}
