using System.Globalization;
using System.Reflection;
using Amazon.DynamoDBv2.Model;
using Microsoft.Data.Analysis;

namespace Mlm.Workbook.Presentation;

/// <summary>Turns items and records into DataFrames for notebooks, the way the exercise uses pandas.</summary>
public static class Frames
{
    private static readonly string[] KeyColumns = [Keys.PartitionKey, Keys.SortKey];

    /// <summary>
    /// One row per item, one column per attribute found in any item: <c>pk</c> and <c>sk</c> first, the rest
    /// in alphabetical order. A missing attribute is null. An attribute that is a number in every item is
    /// a decimal column (so it sums); a string attribute a string column; a boolean a bool column; anything
    /// else (lists, maps, sets, or mixed types) is shown as text.
    /// </summary>
    public static DataFrame ToDataFrame(IReadOnlyList<Dictionary<string, AttributeValue>> items)
    {
        if (items is null) throw new ArgumentNullException(nameof(items));
        var kinds = new Dictionary<string, ValueKind>(StringComparer.Ordinal);
        foreach (var item in items)
            foreach (var (name, value) in item)
            {
                var kind = KindOf(value);
                kinds[name] = kinds.TryGetValue(name, out var seen) && seen != kind ? ValueKind.Text : kind;
            }

        var names = KeyColumns.Where(kinds.ContainsKey)
            .Concat(kinds.Keys.Where(name => !KeyColumns.Contains(name)).OrderBy(name => name, StringComparer.Ordinal));
        var columns = new List<DataFrameColumn>();
        foreach (var name in names)
        {
            var length = items.Count;
            switch (kinds[name])
            {
                case ValueKind.Number:
                    var numbers = new DecimalDataFrameColumn(name, length);
                    for (var row = 0; row < length; row++)
                        numbers[row] = items[row].TryGetValue(name, out var value) ? decimal.Parse(value.N, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
                    columns.Add(numbers);
                    break;
                case ValueKind.Bool:
                    var flags = new BooleanDataFrameColumn(name, length);
                    for (var row = 0; row < length; row++)
                        flags[row] = items[row].TryGetValue(name, out var value) ? value.BOOL : null;
                    columns.Add(flags);
                    break;
                default:
                    var texts = new StringDataFrameColumn(name, length);
                    for (var row = 0; row < length; row++)
                        texts[row] = items[row].TryGetValue(name, out var value) ? Text(value) : null;
                    columns.Add(texts);
                    break;
            }
        }
        return new DataFrame(columns);
    }

    /// <inheritdoc cref="ToDataFrame(IReadOnlyList{Dictionary{string, AttributeValue}})"/>
    public static DataFrame ToDataFrame(this ReadResult result) => ToDataFrame(result.Items);

    /// <summary>One row per record, one column per public property (strings, numbers, booleans and dates keep their type).</summary>
    public static DataFrame FromRecords<T>(IEnumerable<T> records)
    {
        var rows = records.ToList();
        var columns = new List<DataFrameColumn>();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type == typeof(int) || type == typeof(long) || type == typeof(short))
                columns.Add(new Int64DataFrameColumn(property.Name, rows.Select(r => property.GetValue(r) is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : (long?)null)));
            else if (type == typeof(double) || type == typeof(float))
                columns.Add(new DoubleDataFrameColumn(property.Name, rows.Select(r => property.GetValue(r) is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : (double?)null)));
            else if (type == typeof(decimal))
                columns.Add(new DecimalDataFrameColumn(property.Name, rows.Select(r => (decimal?)property.GetValue(r))));
            else if (type == typeof(bool))
                columns.Add(new BooleanDataFrameColumn(property.Name, rows.Select(r => (bool?)property.GetValue(r))));
            else if (typeof(System.Collections.IEnumerable).IsAssignableFrom(type) && type != typeof(string))
                continue; // nested lists get their own frame
            else
                columns.Add(new StringDataFrameColumn(property.Name, rows.Select(r => Format(property.GetValue(r)))));
        }
        return new DataFrame(columns);
    }

    /// <summary>
    /// What a read sent and what it cost, as a one-row frame: operation, index, key condition, values, items, pages; the read
    /// units by AWS's rules; and, where it differs, the figure the endpoint reported (DynamoDB Local's own) with the reason.
    /// </summary>
    public static DataFrame Cost(this ReadResult result)
    {
        if (result is null) throw new ArgumentNullException(nameof(result));
        var differs = Math.Abs(result.CapacityUnits - result.AwsReadUnits) > 1e-9;
        return new(
            new StringDataFrameColumn("operation", [result.Request.Operation]),
            new StringDataFrameColumn("table / index", [result.Request.IndexName is null ? result.Request.TableName : $"{result.Request.TableName}.{result.Request.IndexName}"]),
            new StringDataFrameColumn("key condition", [result.Request.KeyCondition ?? "(none: reads everything)"]),
            new StringDataFrameColumn("values", [string.Join(", ", result.Request.Values.Select(v => $"{v.Key} = {v.Value}"))]),
            new Int32DataFrameColumn("items", [result.Count]),
            new Int32DataFrameColumn("scanned", [result.ScannedCount]),
            new Int32DataFrameColumn("requests", [result.Pages]),
            new DoubleDataFrameColumn("read units (AWS)", [result.AwsReadUnits]),
            new StringDataFrameColumn("endpoint reported", [differs ? result.CapacityUnits.ToString("0.0##", CultureInfo.InvariantCulture) : "same"]),
            new StringDataFrameColumn("why they differ", [differs ? WhyReportedDiffers(result) : ""]));
    }

    /// <summary>Why the capacity an endpoint reported differs from AWS's rules, in one sentence.</summary>
    private static string WhyReportedDiffers(ReadResult result) =>
        result.Request.Operation == ReadRequest.PartiQl
            ? "The endpoint reported no capacity for PartiQL (DynamoDB Local never does); AWS bills the items the statement reads, which without an equality on the partition key is the whole table"
        : result.CapacityUnits < result.AwsReadUnits
            ? "The endpoint reported 0 for a request that finds nothing (as DynamoDB Local does); AWS bills every request at least 0.5 (one 4 KB read)"
            : "The endpoint computed its own figure; AWS bills the sizes read, rounded up to 4 KB per request";

    /// <summary>The console's Overview tab as a two-column frame: what, and its value.</summary>
    public static DataFrame Overview(TableOverview table) => new(
        new StringDataFrameColumn("General information", ["Table name", "Partition key", "Sort key", "Capacity mode", "Table status", "Point-in-time recovery (PITR)",
            table.StatisticsMayLag ? "Item count (AWS refreshes it about every 6 hours)" : "Item count", "Table size", "Average item size"]),
        new StringDataFrameColumn("Value", [table.TableName, table.PartitionKey, table.SortKey, table.CapacityMode, table.Status, table.PointInTimeRecovery,
            table.ItemCount.ToString(CultureInfo.InvariantCulture), $"{table.SizeBytes} bytes", $"{table.AverageItemSizeBytes} bytes"]));

    /// <summary>The console's Indexes tab: one row per index.</summary>
    public static DataFrame IndexTable(TableOverview table) => FromRecords(table.Indexes);

    private enum ValueKind { Text, Number, Bool }

    private static ValueKind KindOf(AttributeValue value) =>
        value.N is { } number && decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? ValueKind.Number
        : value.BOOL is not null ? ValueKind.Bool
        : ValueKind.Text;

    private static string? Text(AttributeValue value) =>
        value.S ?? value.N ?? (value.BOOL is { } flag ? (flag ? "true" : "false")
        : value.NULL == true ? null
        : value.SS is { Count: > 0 } strings ? "{" + string.Join(", ", strings) + "}"
        : value.NS is { Count: > 0 } numbers ? "{" + string.Join(", ", numbers) + "}"
        : value.L is { } list ? "[" + string.Join(", ", list.Select(Text)) + "]"
        : value.M is { } map ? "{" + string.Join(", ", map.Select(e => $"{e.Key}: {Text(e.Value)}")) + "}"
        : value.B is not null ? "<binary>"
        : null);

    private static string? Format(object? value) => value switch
    {
        null => null,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
