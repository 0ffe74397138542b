using System.Diagnostics;
using System.Text.Json;

namespace Mlm.Workbook.Tests;

/// <summary>The exercise's own Python client, pointed at our DynamoDB Local, sees the table it expects.</summary>
public class Boto3Tests(LocalDynamoDb dynamo)
{
    [Fact]
    public async Task The_exercise_boto3_queries_return_what_the_seeded_data_says()
    {
        var (store, data) = await dynamo.SeededTableAsync("boto3");
        var member = data.Members[0];
        var sale = data.Sales.First(s => s.MemberId == member.Id);

        var result = await ExerciseQueries.RunAsync(dynamo.Endpoint, store.TableName, member.PartitionKey, sale.SaleDateKey, member.Email, member.Phone);
        ExerciseQueries.AssertMatch(result, data, member, sale);
    }
}

/// <summary>The exercise's own boto3 queries (<c>tests/boto3/exercise_queries.py</c>), run and checked.</summary>
public static class ExerciseQueries
{
    /// <summary>The exercise's table shape and six queries, checked against the data that was seeded.</summary>
    public static void AssertMatch(JsonElement result, SeedData data, Member member, Sale sale)
    {

        Assert.Equal(["pk:HASH", "sk:RANGE"], Strings(result, "key_schema"));
        var globals = result.GetProperty("global_indexes");
        Assert.Equal(["email-index", "phone-index", "recruited_by-index", "sale_date-sale_reference-index"],
            globals.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["sale_date:HASH", "sale_reference:RANGE"], Strings(globals.GetProperty("sale_date-sale_reference-index"), "keys"));
        Assert.All(globals.EnumerateObject(), index => Assert.Equal("ALL", index.Value.GetProperty("projection").GetString()));
        Assert.Equal(["pk:HASH", "sale_reference:RANGE"], Strings(result.GetProperty("local_indexes").GetProperty("sale_reference-index"), "keys"));

        Assert.Equal(data.Members.Count + data.Sales.Count, result.GetProperty("scan_count").GetInt32());
        Assert.Equal([$"{member.PartitionKey}|PROFILE"], Strings(result, "get_user"));
        Assert.Equal(Sorted(data.Members.Where(m => m.RecruitedBy == member.Id).Select(m => $"{m.PartitionKey}|PROFILE")), Strings(result, "downline"));
        Assert.Equal(Sorted(data.Sales.Where(s => s.Date == sale.Date).Select(s => $"{s.PartitionKey}|{s.SortKey}")), Strings(result, "sales_by_date"));
        Assert.Equal(Sorted(data.Sales.Where(s => s.MemberId == member.Id).Select(s => $"{s.PartitionKey}|{s.SortKey}")), Strings(result, "sales_of_user"));
        Assert.Equal([$"{member.PartitionKey}|PROFILE"], Strings(result, "by_email"));
        Assert.Equal([$"{member.PartitionKey}|PROFILE"], Strings(result, "by_phone"));
    }

    private static string[] Sorted(IEnumerable<string> values) => values.Order(StringComparer.Ordinal).ToArray();

    private static string[] Strings(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>Runs <c>tests/boto3/exercise_queries.py</c> and returns what it printed.</summary>
    public static async Task<JsonElement> RunAsync(params string[] arguments)
    {
        var script = Path.Combine(RepositoryRoot.Find(), "tests", "boto3", "exercise_queries.py");
        // MLM_PYTHON names an interpreter with boto3 when the first python3 on PATH has none.
        var python = Environment.GetEnvironmentVariable("MLM_PYTHON") is { Length: > 0 } named ? named : "python3";
        Requires.PythonModules(python, "MLM_PYTHON", "boto3");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"python3 exercise_queries.py failed (is boto3 installed?):\n{await errors}");
        return JsonDocument.Parse(await output).RootElement;
    }
}
