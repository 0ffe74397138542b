using System.Diagnostics;
using Amazon.DynamoDBv2.Model;
using Mlm.Workbook.Tests.Kernel;

namespace Mlm.Workbook.Tests;

/// <summary>The <c>query</c> verb against a real DynamoDB Local: a table on the terminal, every page, safe CSV, clear errors.</summary>
public class QueryVerbTests(LocalDynamoDb dynamo) : IDisposable
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly string _folder = Directory.CreateTempSubdirectory("query-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private Task<(int ExitCode, string Output, string Errors)> QueryAsync(string table, params string[] arguments) =>
        CliAsync(table, ["query", .. arguments]);

    private async Task<(int ExitCode, string Output, string Errors)> CliAsync(string table, string[] arguments)
    {
        var start = new ProcessStartInfo(KernelProcess.Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in new[] { "AWS_ENDPOINT_URL", "MLM_DYNAMODB", "MLM_DYNAMODB_PORT" }) start.Environment.Remove(name);
        start.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.Endpoint;
        start.Environment["MLM_TABLE"] = table;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        return (process.ExitCode, await output, await errors);
    }

    [Fact]
    public async Task A_member_and_its_sales_print_as_a_table_and_go_to_csv()
    {
        var (store, data) = await dynamo.SeededTableAsync("query");
        var csv = Path.Combine(_folder, "out", "member-004.csv");

        var (exitCode, output, errors) = await QueryAsync(store.TableName, $"SELECT * FROM \"{store.TableName}\" WHERE pk = 'USER#004'", "--csv", csv);

        Assert.True(exitCode == 0, output + errors);
        var expected = 1 + data.Sales.Count(s => s.MemberId == "004");
        Assert.Contains($"{expected} items in 1 page", output);
        var header = output.Split('\n').First(line => line.StartsWith("pk"));
        Assert.Matches(@"^pk\s+sk\s+address\s+amount", header);
        Assert.Contains(output.Split('\n'), line => line.StartsWith("USER#004  PROFILE"));
        var lines = File.ReadAllText(csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("pk,sk,address,amount,", lines[0]);
        Assert.Equal(expected, lines.Count(line => line.StartsWith("USER#004,")));
    }

    [Fact]
    public async Task Every_page_is_read_and_formulas_are_defused_in_the_csv()
    {
        var store = await dynamo.NewTableAsync("query-pages");
        var padding = new string('x', 4000);
        await store.WriteAsync(Enumerable.Range(0, 300).Select(n => new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = "BIG" }, ["sk"] = new() { S = $"ITEM#{n:000}" }, ["note"] = new() { S = n == 0 ? "=HYPERLINK(\"http://x\")" : padding },
            ["balance"] = new() { N = "-12.5" },
        }), cancellationToken: Cancel);
        var csv = Path.Combine(_folder, "big.csv");

        var (exitCode, output, errors) = await QueryAsync(store.TableName, $"SELECT pk, sk, note, balance FROM \"{store.TableName}\" WHERE pk = 'BIG'", "--csv", csv);

        Assert.True(exitCode == 0, output + errors);
        Assert.Matches(@"300 items in [2-9] pages", output);
        var lines = File.ReadAllText(csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(301, lines.Length);
        Assert.Contains("BIG,ITEM#000,-12.5,\"'=HYPERLINK(\"\"http://x\"\")\"", lines); // columns: pk, sk, then by name
    }

    [Fact]
    public async Task The_realistic_profile_seeded_from_the_command_line_answers_with_its_product_columns()
    {
        var table = LocalDynamoDb.UniqueTableName("query-realistic");
        var options = new RealisticDataOptions(Members: 30, Months: 3);
        var data = RealisticData.Generate(options);

        var seeded = await CliAsync(table, ["seed", "--profile", "realistic", "--users", "30", "--months", "3"]);
        Assert.True(seeded.ExitCode == 0, seeded.Output + seeded.Errors);
        Assert.Contains($"Wrote 30 members and {data.Sales.Count} sales", seeded.Output);

        var seller = data.Sales[0].MemberId;
        var (exitCode, output, errors) = await QueryAsync(table, $"SELECT sk, product_id, category, unit_price, quantity, amount FROM \"{table}\" WHERE pk = 'USER#{seller}' AND begins_with(sk, 'SALE#')");

        Assert.True(exitCode == 0, output + errors);
        Assert.Matches(@"^sk\s+amount\s+category\s+product_id\s+quantity\s+unit_price", output.Split('\n').First(line => line.StartsWith("sk")));
        Assert.Contains($"{data.Sales.Count(s => s.MemberId == seller)} item", output);
    }

    [Fact]
    public async Task A_bad_statement_is_refused_with_dynamodbs_reason_and_an_example()
    {
        var store = await dynamo.NewTableAsync("query-bad");

        var (exitCode, output, errors) = await QueryAsync(store.TableName, $"SELECT * FROM \"{store.TableName}\" WHERE");

        Assert.Equal(1, exitCode);
        Assert.Contains("error: DynamoDB refused the statement:", errors);
        Assert.Contains($"SELECT * FROM \"{store.TableName}\" WHERE pk = 'USER#004'", errors);
        Assert.DoesNotContain("   at ", output + errors); // no stack trace
    }

    [Fact]
    public async Task A_missing_table_is_named_with_the_tables_there()
    {
        var store = await dynamo.NewTableAsync("query-missing");

        var (exitCode, _, errors) = await QueryAsync(store.TableName, "SELECT * FROM \"no-such-table\" WHERE pk = 'a'");

        Assert.Equal(1, exitCode);
        Assert.Contains("the statement reads a table that does not exist", errors);
        Assert.Contains(store.TableName, errors);
    }

    [Theory]
    [InlineData("DELETE FROM mlm WHERE pk = 'USER#004' AND sk = 'PROFILE'")]
    [InlineData("SELECTION")]
    public async Task Only_select_statements_run(string statement)
    {
        var (exitCode, output, errors) = await QueryAsync("mlm-unused", statement);

        Assert.Equal(2, exitCode);
        Assert.Contains("query runs SELECT statements only", output + errors);
    }
}
