using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Tests;

/// <summary>
/// Runs the workbook's own notebooks with the runner against the test DynamoDB Local, as a reader's run would:
/// no error output, outputs equal to the committed ones, access patterns returning what the data says,
/// every chart drawn in the report, and the table left for the exercise's own boto3 queries.
/// </summary>
[Collection(nameof(NotebookRunnerCollection))]
public sealed partial class WorkbookNotebooksTests(LocalDynamoDb dynamo) : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("workbook-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_output, recursive: true); } catch (IOException) { }
    }

    private static string NotebooksFolder => Jupyter.NotebooksFolder;

    [Fact]
    public async Task The_notebooks_run_clean_match_their_committed_outputs_and_the_seeded_data()
    {
        var results = await RunWorkbookAsync();

        // Every notebook, every cell, no error output.
        Assert.Equal(Directory.GetFiles(NotebooksFolder, "*.ipynb").Length, results.Count);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        Assert.All(results, r => Assert.Equal(r.CodeCells, r.CellsRun));

        // Committed outputs are what a run produces now.
        foreach (var result in results)
        {
            var committed = Notebook.Load(Path.Combine(NotebooksFolder, result.Notebook.Name));
            Assert.Equal(committed.Cells.Count, result.Notebook.Cells.Count);
            for (var i = 0; i < committed.Cells.Count; i++)
            {
                // A student edition clears the answer and check cells' outputs; running them shows "not attempted yet".
                if (committed.Cells[i].Outputs.Count == 0 && committed.Cells[i].Tags.Any(t => t is "solution" or "check")) continue;
                Assert.True(Normalize(committed.Cells[i].Outputs) == Normalize(result.Notebook.Cells[i].Outputs),
                    $"{result.Notebook.Name}, cell {i + 1}: the committed outputs are stale; refresh them with " +
                    "`dotnet run --project lib/Mlm.Workbook.Cli -- run notebooks --in-place`.");
                Assert.Equal(committed.Cells[i].ExecutionCount, result.Notebook.Cells[i].ExecutionCount);
            }
        }

        // Committed and executed notebooks are valid nbformat 4.5, with no warning (a cell without an id warns).
        await Jupyter.RunScriptAsync("validate_notebooks.py",
            Directory.GetFiles(NotebooksFolder, "*.ipynb").Concat(results.Select(r => r.OutputPath)), new Dictionary<string, string>(), TimeSpan.FromMinutes(2));

        // What each access pattern returned is what the seeded data says it should be.
        var data = FakeData.Generate(SeedOptions(Find(results, "02-seed-data")));
        AssertAccessPatterns(results, data);

        // The table the run leaves is the exercise's, and its own boto3 queries read it.
        var member = data.Members[0];
        var sale = data.Sales.First(s => s.MemberId == member.Id);
        var boto3 = await ExerciseQueries.RunAsync(dynamo.Endpoint, TableDefinition.DefaultTableName, member.PartitionKey, sale.SaleDateKey, member.Email, member.Phone);
        ExerciseQueries.AssertMatch(boto3, data, member, sale);

        // Every chart appears, drawn, in the report.
        var report = Path.Combine(_output, "report.html");
        HtmlReport.Write(results, report, await NodePackages.PlotlyScriptAsync(TestContext.Current.CancellationToken));
        var charts = results.SelectMany(r => r.Notebook.Cells).SelectMany(c => c.Outputs)
            .Count(o => o?["data"]?["text/html"]?.GetValue<string>().Contains("class=\"plotly-chart\"") == true);
        Assert.True(charts >= 4, $"only {charts} charts");
        var page = await Browser.OpenAsync(report);
        Assert.Equal(charts, page.Charts);
        Assert.Equal(charts, page.ChartsDrawn);
        Assert.True(page.VisibleTables > 20, $"{page.VisibleTables} tables visible");
        Assert.Equal(6, page.VisibleKeyDesignViews); // notebook 11: the table and each of its five indexes
    }

    private async Task<IReadOnlyList<NotebookResult>> RunWorkbookAsync()
    {
        var saved = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", dynamo.Endpoint);
        try
        {
            return await NotebookRunner.RunAsync(new RunOptions([NotebooksFolder], _output), cancellationToken: TestContext.Current.CancellationToken);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", saved);
        }
    }

    private static void AssertAccessPatterns(IReadOnlyList<NotebookResult> results, SeedData data)
    {
        string Key(Member m) => $"{m.PartitionKey}|PROFILE";
        string SaleKey(Sale s) => $"{s.PartitionKey}|{s.SortKey}";

        // A long frame shows its first and last rows and its shape, as pandas does.
        var seeding = Find(results, "02-seed-data");
        var scan = ResultTables(seeding).Single();
        var itemCount = data.Members.Count + data.Sales.Count;
        Assert.Subset(data.Members.Select(Key).Concat(data.Sales.Select(SaleKey)).ToHashSet(), scan.Select(RowKey).ToHashSet());
        Assert.Equal(12, scan[0].Count);
        var scanOutputs = string.Join("\n", seeding.Notebook.Cells.Single(c => c.Tags.Contains("result")).Outputs
            .Select(o => o?["data"]?["text/plain"]?.GetValue<string>()));
        Assert.Contains($"{itemCount} rows × 12 columns", scanOutputs);
        Assert.Contains($"Item count: {itemCount} in 1 page(s)", scanOutputs);

        var byId = Find(results, "03-get-member-by-id");
        Assert.Equal([Key(data.Members.Single(m => m.Id == Parameter(byId, "memberId")))], ResultTables(byId).Single().Select(RowKey));

        var downline = Find(results, "04-list-downline");
        var recruiter = Parameter(downline, "memberId");
        Assert.Equal(data.Members.Where(m => m.RecruitedBy == recruiter).Select(Key).Order(), ResultTables(downline).Single().Select(RowKey).Order());

        var byDate = Find(results, "05-sales-by-date");
        var date = DateOnly.Parse(Parameter(byDate, "saleDate"));
        var seller = Parameter(byDate, "memberId");
        var onDate = data.Sales.Where(s => s.Date == date).OrderBy(s => s.SaleReference, StringComparer.Ordinal).ToList();
        Assert.True(onDate.Count > 1, "the notebook's date should have several sales");
        var dateTables = ResultTables(byDate);
        Assert.Equal(onDate.Select(SaleKey), dateTables[0].Select(RowKey));
        Assert.Equal(onDate.Where(s => s.MemberId == seller).Select(SaleKey), dateTables[1].Select(RowKey));

        var ofMember = Find(results, "06-sales-of-member");
        var memberId = Parameter(ofMember, "memberId");
        Assert.Equal(data.Sales.Where(s => s.MemberId == memberId).OrderBy(s => s.SaleReference, StringComparer.Ordinal).Select(SaleKey),
            ResultTables(ofMember).Single().Select(RowKey));

        var contact = Find(results, "07-find-member-by-email-or-phone");
        var wanted = Key(data.Members.Single(m => m.Id == Parameter(contact, "memberId")));
        Assert.All(ResultTables(contact), table => Assert.Equal([wanted], table.Select(RowKey)));
    }

    private static NotebookResult Find(IReadOnlyList<NotebookResult> results, string name) =>
        results.Single(r => r.Notebook.Name == name + ".ipynb");

    private static FakeDataOptions SeedOptions(NotebookResult seeding) => new(
        int.Parse(Parameter(seeding, "members")), int.Parse(Parameter(seeding, "sales")), int.Parse(Parameter(seeding, "seed")),
        DateOnly.Parse(Parameter(seeding, "referenceDate")));

    /// <summary>A value from the notebook's own cell tagged <c>parameters</c>: <c>var name = value;</c>.</summary>
    private static string Parameter(NotebookResult result, string name)
    {
        var cell = result.Notebook.Cells.Single(c => c.Tags.Contains("parameters"));
        var match = Regex.Match(cell.Source, $@"var {name} = ""?(?<value>[^"";]*)""?;");
        Assert.True(match.Success, $"{result.Notebook.Name} has no parameter {name}");
        return match.Groups["value"].Value;
    }

    /// <summary>The DataFrame tables shown by the cells tagged <c>result</c>, as rows of column → text.</summary>
    private static List<List<Dictionary<string, string>>> ResultTables(NotebookResult result) =>
        result.Notebook.Cells.Where(c => c.Tags.Contains("result"))
            .Select(c => c.Outputs.Select(o => o?["data"]?["text/html"]?.GetValue<string>()).Last(html => html?.Contains("class=\"dataframe\"") == true)!)
            .Select(ParseTable).ToList();

    private static List<Dictionary<string, string>> ParseTable(string html)
    {
        var headers = HeaderCell().Matches(html.Substring(0, html.IndexOf("</thead>", StringComparison.Ordinal)))
            .Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Skip(1).ToList();
        var rows = new List<Dictionary<string, string>>();
        foreach (Match row in BodyRow().Matches(html))
        {
            var cells = DataCell().Matches(row.Groups[1].Value).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
            rows.Add(headers.Zip(cells).ToDictionary(p => p.First, p => p.Second));
        }
        return rows;
    }

    private static string RowKey(Dictionary<string, string> row) => $"{row["pk"]}|{row["sk"]}";

    private static string Normalize(JsonArray outputs) =>
        Volatile().Replace(outputs.ToJsonString().Replace("\\r\\n", "\\n"), "<volatile>");

    [GeneratedRegex("<th>(.*?)</th>")]
    private static partial Regex HeaderCell();

    [GeneratedRegex("<tr><th>\\d+</th>(.*?)</tr>")]
    private static partial Regex BodyRow();

    [GeneratedRegex("<td[^>]*>(.*?)</td>")]
    private static partial Regex DataCell();

    // Ids and timings differ from run to run; nothing else may.
    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+(\.\d+)? ?(ms|s)\b")]
    private static partial Regex Volatile();
}
