using System.Globalization;
using Microsoft.Data.Analysis;
using Mlm.Workbook.Capacity;

namespace Mlm.Workbook.Presentation;

/// <summary>Write costs as frames: one row per table or index written.</summary>
public static class CostFrames
{
    /// <summary>What one write cost by AWS's rules, row by row, with the units the endpoint reported for each table or index.</summary>
    public static DataFrame Writes(MeasuredWrite write)
    {
        if (write is null) throw new ArgumentNullException(nameof(write));
        return Frame(write.Aws, line => write.Reported.TryGetValue(line.Target, out var units) ? units.ToString("0.###", CultureInfo.InvariantCulture) : "-");
    }

    /// <summary>What one write costs by AWS's rules, row by row.</summary>
    public static DataFrame Writes(WriteCost cost)
    {
        if (cost is null) throw new ArgumentNullException(nameof(cost));
        return Frame(cost, null);
    }

    private static DataFrame Frame(WriteCost cost, Func<WriteLine, string>? reported)
    {
        var lines = cost.Lines;
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("written", lines.Select(l => l.Target)),
            new StringDataFrameColumn("action", lines.Select(l => l.Action)),
            new Int32DataFrameColumn("bytes", lines.Select(l => l.Bytes)),
            new DoubleDataFrameColumn("write units (AWS)", lines.Select(l => l.Units)),
        };
        if (reported is not null) columns.Add(new StringDataFrameColumn("endpoint reported", lines.Select(reported)));
        return new DataFrame(columns);
    }
}
