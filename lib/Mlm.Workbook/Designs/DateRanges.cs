using System.Collections.Concurrent;

namespace Mlm.Workbook.Designs;

/// <summary>
/// Sales between two dates, two ways. With the date as a partition key (the exercise's
/// <c>sale_date-sale_reference-index</c>) a key condition can only say <c>=</c>, so a range is one query per day. With the
/// date as a sort key (<c>sales-by-date-index</c>: every sale under <c>sales_key = SALES</c>, sorted by <c>sale_date</c>)
/// one query with <c>BETWEEN</c> reads the range. That one key takes every sale's index write, so at scale it becomes a
/// hot partition; spread over n keys (<c>SALES#0</c> … <c>SALES#n-1</c>) a range is n queries, still not one per day.
/// </summary>
public static class DateRanges
{
    /// <summary>The exercise's way: one query of the date index per day from <paramref name="from"/> to <paramref name="to"/>, merged.</summary>
    /// <param name="store">The workbook's table.</param>
    /// <param name="from">The first day.</param>
    /// <param name="to">The last day (inclusive).</param>
    /// <param name="concurrency">Queries in flight at once.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <returns>The sales by day, then sale reference; one request per day at least.</returns>
    public static async Task<ReadResult> GetSalesPerDayAsync(MlmStore store, DateOnly from, DateOnly to, int concurrency = 8, CancellationToken cancellationToken = default)
    {
        if (store is null) throw new ArgumentNullException(nameof(store));
        var days = Days(from, to);
        var results = new ConcurrentDictionary<DateOnly, ReadResult>();
        await Parallel.ForEachAsync(days, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
            async (day, token) => results[day] = await store.GetSalesOnDateAsync(day, cancellationToken: token).ConfigureAwait(false)).ConfigureAwait(false);
        var ordered = days.Select(day => results[day]).ToList();
        var request = new ReadRequest($"Query × {days.Count}", store.TableName, Indexes.SaleDate, "sale_date = :date",
            new Dictionary<string, string> { [":date"] = $"{Keys.Date(from)} … {Keys.Date(to)}, one per day" });
        return new ReadResult(request, ordered.SelectMany(r => r.Items).ToList(), ordered.Sum(r => r.Pages), ordered.Sum(r => r.ScannedCount), ordered.Sum(r => r.CapacityUnits))
            { AwsReadUnits = ordered.Sum(r => r.AwsReadUnits), SentRequests = ordered.SelectMany(r => r.SentRequests).ToList() };
    }

    /// <summary>The date in a sort key: <c>sales_key = SALES AND sale_date BETWEEN :from AND :to</c>, one query (and its pages).</summary>
    /// <returns>The sales by day; within a day in no particular order.</returns>
    public static Task<ReadResult> GetSalesBetweenAsync(DesignsTable table, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        if (table is null) throw new ArgumentNullException(nameof(table));
        Days(from, to);
        return table.QueryAsync(DesignsTable.SalesByDateIndex, $"{DesignsTable.SalesKey} = :all AND {Attributes.SaleDate} BETWEEN :from AND :to",
            new() { [":all"] = DesignsTable.AllSales, [":from"] = Keys.Date(from), [":to"] = Keys.Date(to) }, cancellationToken);
    }

    private static List<DateOnly> Days(DateOnly from, DateOnly to)
    {
        if (to < from) throw new ArgumentException($"The range ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", nameof(to));
        return Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).ToList();
    }
}
