using System.Text.Json.Nodes;
using Mlm.Workbook.Notebooks;
using static Mlm.Workbook.Tests.NotebookFiles;

namespace Mlm.Workbook.Tests;

/// <summary>The runner changes the process's console and working directory while a notebook runs.</summary>
[CollectionDefinition(nameof(NotebookRunnerCollection), DisableParallelization = true)]
public sealed class NotebookRunnerCollection;

[Collection(nameof(NotebookRunnerCollection))]
public sealed class NotebookRunnerTests : IDisposable
{
    private readonly NotebookFiles _files = new();

    public void Dispose() => _files.Dispose();

    private async Task<IReadOnlyList<NotebookResult>> RunAsync(string[] paths, IReadOnlyDictionary<string, string>? parameters = null, bool stopOnError = false) =>
        await NotebookRunner.RunAsync(new RunOptions(paths, Path.Combine(_files.Folder, "out"), Parameters: parameters, StopOnError: stopOnError),
            cancellationToken: TestContext.Current.CancellationToken);

    private async Task<NotebookResult> RunOneAsync(params JsonObject[] cells) =>
        (await RunAsync([_files.Write("01-test.ipynb", cells)])).Single();

    private static JsonObject Output(NotebookResult result, int cell, int output = 0) =>
        result.Notebook.Cells[cell].Outputs[output]!.AsObject();

    private static string Data(JsonObject output, string mime) => output["data"]![mime]!.GetValue<string>();

    [Fact]
    public async Task Cells_follow_the_Polyglot_CSharp_kernel()
    {
        var result = await RunOneAsync(
            Markdown("# Title"),
            Code("var words = new List<string> { \"b\", \"a\" };\nvar text = new StringBuilder().Append(string.Join(\",\", words.Order()));"),
            Code("Console.WriteLine(\"before\");\ndisplay(text.ToString());\nConsole.Write(\"after\");\nawait Task.Delay(1);\nwords.Count * 21"),
            Code("#!csharp\nConsole.WriteLine(\"no result\")"),
            Code("record Point(int X, int Y);\nnew Point(1, 2) with { Y = 5 }"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal([null, 1, 2, 3, 4], result.Notebook.Cells.Select(c => c.ExecutionCount));
        Assert.Empty(result.Notebook.Cells[1].Outputs);

        var outputs = result.Notebook.Cells[2].Outputs.Select(o => o!.AsObject()).ToList();
        Assert.Equal(["stream", "display_data", "stream", "execute_result"], outputs.Select(o => o["output_type"]!.GetValue<string>()));
        Assert.Equal("before\n", outputs[0]["text"]!.GetValue<string>());
        Assert.Equal("a,b", Data(outputs[1], "text/plain"));
        Assert.Equal("after", outputs[2]["text"]!.GetValue<string>());
        Assert.Equal("42", Data(outputs[3], "text/plain"));
        Assert.Equal(2, outputs[3]["execution_count"]!.GetValue<int>());

        var noResult = result.Notebook.Cells[3].Outputs.Single()!.AsObject();
        Assert.Equal("stream", noResult["output_type"]!.GetValue<string>());
        Assert.Contains("Y: 5", Data(Output(result, 4), "text/plain"));
        Assert.Contains("<table", Data(Output(result, 4), "text/html"));
    }

    [Fact]
    public async Task Display_handles_update_in_place()
    {
        var result = await RunOneAsync(Code("var shown = display(\"0%\");\nfor (var i = 1; i <= 4; i++) shown.Update($\"{i * 25}%\");"));
        Assert.Equal("100%", Data(Output(result, 0), "text/plain"));
        Assert.Single(result.Notebook.Cells[0].Outputs);
    }

    [Fact]
    public async Task Pinned_packages_load_at_their_pins_and_other_packages_restore_as_in_Polyglot()
    {
        var ok = await RunOneAsync(Code("#r \"nuget: Bogus, 35.6.5\"\nnew Bogus.Randomizer(1).Int(7, 7)"));
        Assert.True(ok.Succeeded, ok.Error);
        Assert.Contains("Bogus, 35.6.5", Data(Output(ok, 0), "text/plain"));
        Assert.Equal("7", Data(Output(ok, 0, 1), "text/plain"));

        var restored = await RunOneAsync(Code("#r \"nuget: Humanizer.Core, 2.14.1\"\nHumanizer.StringHumanizeExtensions.Humanize(\"a_student_package\")"));
        Assert.True(restored.Succeeded, restored.Error);
        Assert.Equal("a student package", Data(Output(restored, 0, 1), "text/plain"));

        foreach (var (line, expected) in new[]
                 {
                     ("#r \"nuget: Bogus, 35.6.4\"", "Directory.Packages.props pins Bogus 35.6.5"),
                     ("#r \"nuget: Bogus\"", "write the pinned one: #r \"nuget: Bogus, 35.6.5\""),
                     ("#r \"nuget: No.Such.Package.For.The.Workbook, 1.0.0\"", "could not be restored"),
                 })
        {
            var failed = await RunOneAsync(Markdown("# x"), Code($"var x = 1;\n{line}"));
            Assert.False(failed.Succeeded);
            var error = failed.Notebook.Cells[1].Outputs.Select(o => o!.AsObject()).Single(o => o["output_type"]!.GetValue<string>() == "error");
            Assert.Contains("line 2:", error["evalue"]!.GetValue<string>());
            Assert.StartsWith("01-test.ipynb, cell 2: line 2:", failed.Error);
            Assert.Contains(expected, error["evalue"]!.GetValue<string>());
        }
    }

    [Fact]
    public void The_workbook_notebooks_load_only_pinned_packages_at_their_pinned_versions()
    {
        var pins = PinnedPackages.ForThisProcess().Pins;
        var requests = Directory.GetFiles(Jupyter.NotebooksFolder, "*.ipynb")
            .SelectMany(path => Notebook.Load(path).Cells.Where(c => c.Type == "code")
                .SelectMany(c => CellSource.Parse(c.Source, c.KernelName, "csharp").Packages.Select(p => (Notebook: Path.GetFileName(path), p.Name, p.Version))))
            .ToList();
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.True(pins.TryGetValue(r.Name, out var pinned) && pinned == r.Version,
            $"{r.Notebook} loads {r.Name} {r.Version}, which Directory.Packages.props does not pin at that version"));
    }

    [Fact]
    public async Task Relative_references_and_loads_resolve_against_the_notebook_folder()
    {
        var libraries = Directory.CreateDirectory(Path.Combine(_files.Folder, "libs"));
        File.Copy(typeof(Member).Assembly.Location, Path.Combine(libraries.FullName, "Mlm.Workbook.dll"));
        File.WriteAllText(Path.Combine(_files.Folder, "helper.csx"), "var fromHelper = 7;\n");

        var result = await RunOneAsync(
            Code("#r \"libs/Mlm.Workbook.dll\"\n#load \"helper.csx\""),
            Code("Mlm.Workbook.Keys.User(fromHelper) + \" in \" + System.IO.Path.GetFileName(Environment.CurrentDirectory)"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal($"USER#007 in {Path.GetFileName(_files.Folder)}", Data(Output(result, 1), "text/plain"));
    }

    [Fact]
    public async Task A_notebooks_files_go_to_the_runs_output_folder_and_the_variable_is_restored_after()
    {
        var before = Environment.GetEnvironmentVariable(RunOutput.Variable);

        var result = await RunOneAsync(Code("var folder = Environment.GetEnvironmentVariable(\"MLM_OUTPUT_DIR\");\nSystem.IO.Directory.CreateDirectory(folder);\n" +
            "System.IO.File.WriteAllText(System.IO.Path.Combine(folder, \"made.csv\"), \"a,b\");\nfolder"));

        Assert.True(result.Succeeded, result.Error);
        var output = Path.Combine(_files.Folder, "out");
        Assert.Equal(output, Data(Output(result, 0), "text/plain").Trim('"'));
        Assert.Equal("a,b", File.ReadAllText(Path.Combine(output, "made.csv")));
        Assert.Equal(before, Environment.GetEnvironmentVariable(RunOutput.Variable));
    }

    [Theory]
    [InlineData("#!pwsh\nGet-Date", "csharp", "this cell is for the pwsh kernel")]
    [InlineData("printfn \"hi\"", "fsharp", "this cell is for the fsharp kernel")]
    [InlineData("#!share --from fsharp x\nx", "csharp", "#!share is a Polyglot magic command this runner does not provide")]
    [InlineData("var v = await Kernel.GetInputAsync(\"?\");", "csharp", "Kernel is a Polyglot Notebooks helper this runner does not provide")]
    [InlineData("int x = \"text\";", "csharp", "(1,9): error CS0029")]
    public async Task Cells_the_runner_cannot_run_fail_with_a_clear_error(string source, string kernel, string expected)
    {
        var result = await RunOneAsync(Code(source, kernel), Code("1"));
        Assert.False(result.Succeeded);
        var error = Output(result, 0);
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Contains(expected, error["evalue"]!.GetValue<string>());
        Assert.Contains(expected, result.Error);
        Assert.Null(result.Notebook.Cells[1].ExecutionCount);
    }

    [Fact]
    public async Task A_library_error_shows_as_a_short_message_not_a_long_stack()
    {
        var result = await RunOneAsync(
            Code($"{LibraryReference}\nusing Mlm.Workbook;"),
            Code("var store = new MlmStore(Connection.ForLocalEndpoint(\"http://localhost:1\"), \"missing\");\nawait store.GetMemberAsync(\"x#1\")"));

        var error = Output(result, 1);
        Assert.Equal("ArgumentException", error["ename"]!.GetValue<string>());
        Assert.Contains("An id is a number", error["evalue"]!.GetValue<string>());
        Assert.InRange(error["traceback"]!.AsArray().Count, 1, 3);
    }

    [Fact]
    public async Task A_failure_ends_its_notebook_but_the_others_still_run_unless_told_to_stop()
    {
        var failing = _files.Write("01-fails.ipynb", Code("var a = 1;"), Code("throw new InvalidOperationException(\"no stock\");"), Code("var c = 3;"));
        var passing = _files.Write("02-passes.ipynb", Code("\"fine\""));

        var results = await RunAsync([_files.Folder]);
        Assert.Equal(["01-fails.ipynb", "02-passes.ipynb"], results.Select(r => r.Notebook.Name));
        Assert.Equal("01-fails.ipynb, cell 2: InvalidOperationException: no stock", results[0].Error);
        Assert.Equal((2, 3), (results[0].CellsRun, results[0].CodeCells));
        var error = Output(results[0], 1);
        Assert.Equal(("InvalidOperationException", "no stock"), (error["ename"]!.GetValue<string>(), error["evalue"]!.GetValue<string>()));
        Assert.Empty(results[0].Notebook.Cells[2].Outputs);
        Assert.Null(results[0].Notebook.Cells[2].ExecutionCount);
        Assert.True(results[1].Succeeded);

        var stopped = await RunAsync([failing, passing], stopOnError: true);
        Assert.Single(stopped);
    }

    [Fact]
    public async Task Parameters_are_injected_after_the_tagged_cell_with_the_declared_types()
    {
        var path = _files.Write("01-parameters.ipynb",
            Code("var members = 80;\nvar label = \"default\";\nvar fast = false;\nvar ratio = 0.5;\nvar memberId = \"001\";", "csharp", "parameters"),
            Code("$\"{members.GetType().Name}:{members} {label} {fast.GetType().Name}:{fast} {ratio.GetType().Name}:{ratio} {memberId.GetType().Name}:{memberId}\""));

        var result = (await RunAsync([path], new Dictionary<string, string>
        {
            ["members"] = "1000", ["label"] = "say \"hi\"", ["fast"] = "true", ["ratio"] = "2", ["memberId"] = "004",
        })).Single();

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["parameters"], result.Notebook.Cells[0].Tags);
        Assert.Equal(["injected-parameters"], result.Notebook.Cells[1].Tags);
        Assert.Equal("Int32:1000 say \"hi\" Boolean:True Double:2 String:004", Data(Output(result, 2), "text/plain"));
    }

    [Fact]
    public async Task A_parameter_applies_to_the_notebooks_that_declare_it_and_the_others_run_unchanged()
    {
        var declares = _files.Write("01-declares.ipynb", Code("var memberId = \"001\";", "csharp", "parameters"), Code("memberId"));
        var other = _files.Write("02-other.ipynb", Code("var members = 5;", "csharp", "parameters"), Code("members"));
        var none = _files.Write("03-none.ipynb", Code("\"no parameters\""));

        var results = await RunAsync([_files.Folder], new Dictionary<string, string> { ["memberId"] = "\"004\"" });

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal("004", Data(Output(results[0], 2), "text/plain"));
        Assert.Equal("5", Data(Output(results[1], 1), "text/plain"));
        Assert.Equal(2, results[1].Notebook.Cells.Count);
        Assert.Equal("no parameters", Data(Output(results[2], 0), "text/plain"));
        Assert.Equal([declares, other, none], results.Select(r => r.Notebook.Path));
    }

    [Fact]
    public async Task An_unknown_parameter_or_a_value_of_the_wrong_type_is_an_error_before_anything_runs()
    {
        _files.Write("01-one.ipynb", Code("var members = 80;", "csharp", "parameters"), Code("System.IO.File.WriteAllText(\"ran.txt\", \"\");"));
        _files.Write("02-two.ipynb", Code("var memberId = \"001\";", "csharp", "parameters"));

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => RunAsync([_files.Folder], new Dictionary<string, string> { ["nosuchname"] = "1" }));
        Assert.Contains("nosuchname", unknown.Message);
        Assert.Contains("memberId, members", unknown.Message);

        var wrongType = await Assert.ThrowsAsync<ArgumentException>(() => RunAsync([_files.Folder], new Dictionary<string, string> { ["members"] = "many" }));
        Assert.Contains("members", wrongType.Message);
        Assert.Contains("int", wrongType.Message);
        Assert.False(File.Exists(Path.Combine(_files.Folder, "ran.txt")));
    }

    [Fact]
    public async Task An_unreadable_or_foreign_notebook_fails_alone_and_the_others_run()
    {
        _files.Write("01-first.ipynb", Code("\"first\""));
        File.WriteAllText(Path.Combine(_files.Folder, "02-truncated.ipynb"), "{\"nbformat\": 4, \"cells\": [");
        var python = _files.Write("03-python.ipynb", Code("x = 1"));
        File.WriteAllText(python, File.ReadAllText(python).Replace("\".net-csharp\"", "\"python3\"").Replace("\"C#\"", "\"python\""));
        _files.Write("04-last.ipynb", Code("\"last\""));

        var results = await RunAsync([_files.Folder]);

        Assert.Equal([true, false, false, true], results.Select(r => r.Succeeded));
        Assert.Contains("02-truncated.ipynb", results[1].Error);
        Assert.Contains("not valid JSON", results[1].Error);
        Assert.Contains("python3", results[2].Error);
        Assert.Equal("last", Data(Output(results[3], 0), "text/plain"));
    }

    [Fact]
    public async Task A_huge_notebook_a_flood_of_output_and_a_formatter_writing_bad_JSON_fail_alone()
    {
        var huge = Path.Combine(_files.Folder, "01-huge.ipynb");
        File.WriteAllText(huge, File.ReadAllText(_files.Write("01-huge.ipynb", Code("1"))).Replace("\"1\"", "\"" + new string('x', (int)Notebook.MaxFileBytes) + "\""));
        _files.Write("02-flood.ipynb", Code("var line = new string('y', 1_000_000); for (var i = 0; i < 12; i++) Console.Write(line);"),
            Code("new string('z', 12_000_000)"), Code("\"after\""));
        _files.Write("03-bad-json.ipynb", Code("""
            using Microsoft.DotNet.Interactive.Formatting;
            record Broken(int X);
            Formatter.Register<Broken>(b => "{not json", "application/json");
            Formatter.SetPreferredMimeTypesFor(typeof(Broken), "application/json");
            display(new Broken(1));
            """), Code("\"never\""));
        _files.Write("04-last.ipynb", Code("\"last\""));

        var results = await RunAsync([_files.Folder]);

        Assert.Equal([false, true, false, true], results.Select(r => r.Succeeded));
        Assert.Contains("a notebook the workbook runs holds at most 100 MB", results[0].Error);
        var flood = Output(results[1], 0)["text"]!.GetValue<string>();
        Assert.InRange(flood.Length, 5_000_000, 5_000_200);
        Assert.Contains("output cut: this cell wrote more than 5,000,000 characters", flood);
        Assert.Contains("output left out: its 12,000,000 characters", Data(Output(results[1], 1), "text/plain"));
        Assert.Equal("after", Data(Output(results[1], 2), "text/plain"));
        Assert.Contains("03-bad-json.ipynb, cell 1", results[2].Error);
        Assert.Equal("last", Data(Output(results[3], 0), "text/plain"));
        Assert.True(new FileInfo(results[1].OutputPath).Length < 20_000_000);
    }

    [Fact]
    public async Task A_cell_past_its_time_limit_is_stopped_and_later_cells_still_run_when_asked()
    {
        var path = _files.Write("01-slow.ipynb", Code("var before = 1;"), Code("await Task.Delay(60_000);"), Code("before + 1"));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = (await NotebookRunner.RunAsync(
            new RunOptions([path], Path.Combine(_files.Folder, "out"), CellTimeout: TimeSpan.FromSeconds(1), ContinueAfterError: true),
            cancellationToken: TestContext.Current.CancellationToken)).Single();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal("Interrupted", Output(result, 1)["ename"]!.GetValue<string>());
        Assert.Equal("2", Data(Output(result, 2), "text/plain"));
    }

    [Fact]
    public async Task Cells_get_stable_nbformat_ids_and_warnings_show_on_stderr()
    {
        var path = _files.Write("01-ids.ipynb", Markdown("# Ids"), Code("string? maybe = null;\nmaybe ?? \"none\""));
        var first = (await RunAsync([path])).Single();
        var again = (await RunAsync([path])).Single();

        Assert.All(first.Notebook.Cells, cell => Assert.Matches("^[a-z0-9-]{8,64}$", cell.Id));
        Assert.Equal(first.Notebook.Cells.Select(c => c.Id), again.Notebook.Cells.Select(c => c.Id));
        var warning = Output(first, 1);
        Assert.Equal(("stream", "stderr"), (warning["output_type"]!.GetValue<string>(), warning["name"]!.GetValue<string>()));
        Assert.Contains("warning CS8632", warning["text"]!.GetValue<string>());
        Assert.Equal(5, JsonNode.Parse(File.ReadAllText(first.OutputPath))!["nbformat_minor"]!.GetValue<int>());
    }

    [Fact]
    public async Task DataFrames_and_charts_are_formatted_as_a_notebook_shows_them()
    {
        var result = await RunOneAsync(
            Code("#r \"nuget: Microsoft.Data.Analysis, 0.23.1\"\n#r \"nuget: XPlot.Plotly, 4.1.0\"\nusing Microsoft.Data.Analysis;\nusing XPlot.Plotly;"),
            Code("var ids = new Int32DataFrameColumn(\"id\", Enumerable.Range(0, 100));\n" +
                 "var names = new StringDataFrameColumn(\"name\", Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? $\"n{i}\" : null));\n" +
                 "new DataFrame(ids, names)"),
            Code("Chart.Plot(new Bar { x = new[] { \"a\", \"b\" }, y = new[] { 1, 2 } })"),
            Code($"{LibraryReference}\nMlm.Workbook.Presentation.NotebookFormatters.Register();"),
            Code("Chart.Plot(new Bar { x = new[] { \"a\", \"b\" }, y = new[] { 1, 2 } })"));

        Assert.True(result.Succeeded, result.Error);
        var html = Data(Output(result, 1), "text/html");
        Assert.Contains("<th>id</th><th>name</th>", html);
        Assert.Contains("<tr><th>0</th><td>0</td><td>n0</td></tr>", html);
        Assert.Contains("<td class=\"null\"><em>null</em></td>", html);
        Assert.Contains("<tr class=\"ellipsis\">", html);
        Assert.Contains("<tr><th>99</th>", html);
        Assert.DoesNotContain("<tr><th>50</th>", html);
        Assert.Contains("100 rows × 2 columns", html);
        Assert.Contains("100 rows × 2 columns", Data(Output(result, 1), "text/plain"));

        // Before the notebook registers a chart formatter, a chart shows as the kernel shows any object; after, as a chart.
        Assert.DoesNotContain("Plotly.newPlot(", Data(Output(result, 2), "text/html"));
        Assert.Null(Output(result, 2)["data"]!["application/vnd.plotly.v1+json"]);
        var chart = Data(Output(result, 4), "text/html");
        Assert.Contains("Plotly.newPlot(", chart);
        Assert.Contains("class=\"plotly-chart\"", chart);
        var plotly = Output(result, 4)["data"]!["application/vnd.plotly.v1+json"]!;
        Assert.Equal("bar", plotly["data"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(["a", "b"], plotly["data"]![0]!["x"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.NotNull(Data(Output(result, 4), "text/plain"));
    }

    [Fact]
    public async Task Executed_notebooks_are_nbformat_4_with_the_Polyglot_metadata_kept()
    {
        var result = await RunOneAsync(Markdown("# Kept"), Code("display(1);\n2"));
        var written = JsonNode.Parse(File.ReadAllText(result.OutputPath))!.AsObject();

        Assert.Equal(4, written["nbformat"]!.GetValue<int>());
        Assert.Equal(".net-csharp", written["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", written["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        var cell = written["cells"]![1]!;
        Assert.Equal("csharp", cell["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
        Assert.Equal(1, cell["execution_count"]!.GetValue<int>());
        Assert.Equal(["display_data", "execute_result"], cell["outputs"]!.AsArray().Select(o => o!["output_type"]!.GetValue<string>()));
        Assert.All(cell["outputs"]!.AsArray(), o => Assert.NotNull(o!["metadata"]));
        Assert.Equal(Path.Combine(_files.Folder, "out", "01-test.ipynb"), result.OutputPath);
    }

    [Fact]
    public async Task The_report_is_self_contained_with_markdown_code_outputs_and_errors()
    {
        var results = await RunAsync([_files.Write("01-report.ipynb", Markdown("# Report *title*\n\n| a | b |\n|---|---|\n| 1 | 2 |"), Code("\"<b>bold?</b>\""), Code("throw new Exception(\"shown\");"))]);
        var report = Path.Combine(_files.Folder, "report.html");
        HtmlReport.Write(results, report, await NodePackages.PlotlyScriptAsync(TestContext.Current.CancellationToken));
        var html = File.ReadAllText(report);

        Assert.Contains("<h1 id=\"report-title\">Report <em>title</em></h1>", html);
        Assert.Contains("<table>", html);
        Assert.Contains("&lt;b&gt;bold?&lt;/b&gt;", html);
        Assert.Contains("System.Exception: shown", html);
        Assert.Contains("class=\"failed\"", html);
        Assert.DoesNotContain("<script src=", html);
        Assert.Contains("plotly.js", html);
    }
}

[Collection(nameof(NotebookRunnerCollection))]
public sealed class ReportInBrowserTests : IDisposable
{
    private readonly NotebookFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task The_report_shows_tables_and_draws_every_chart_offline_in_headless_Chromium()
    {
        var notebook = _files.Write("01-charts.ipynb",
            NotebookFiles.Markdown("# Charts"),
            NotebookFiles.Code($"#r \"nuget: Microsoft.Data.Analysis, 0.23.1\"\n#r \"nuget: XPlot.Plotly, 4.1.0\"\n{NotebookFiles.LibraryReference}\nusing Microsoft.Data.Analysis;\nusing XPlot.Plotly;\nMlm.Workbook.Presentation.NotebookFormatters.Register();"),
            NotebookFiles.Code("new DataFrame(new StringDataFrameColumn(\"item\", new[] { \"pen\", \"book\" }), new DecimalDataFrameColumn(\"amount\", new decimal?[] { 10.5m, null }))"),
            NotebookFiles.Code("var bars = Chart.Plot(new Bar { x = new[] { \"pen\", \"book\" }, y = new[] { 3, 5 } });\nbars.WithTitle(\"Bars\");\nbars"),
            NotebookFiles.Code("var line = Chart.Plot(new Scatter { x = new[] { 1, 2, 3 }, y = new[] { 2, 1, 3 }, mode = \"lines\" });\nline.WithTitle(\"Line\");\ndisplay(line);"));
        var results = await NotebookRunner.RunAsync(new RunOptions([notebook], Path.Combine(_files.Folder, "out")), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(results.Single().Succeeded, results.Single().Error);
        var report = Path.Combine(_files.Folder, "out", "report.html");
        HtmlReport.Write(results, report, await NodePackages.PlotlyScriptAsync(TestContext.Current.CancellationToken));

        var page = await Browser.OpenAsync(report);

        Assert.Equal(1, page.VisibleTables);
        Assert.Equal(2, page.Charts);
        Assert.Equal(2, page.ChartsDrawn);
        File.WriteAllBytes(Path.Combine(_files.Folder, "out", "report.png"), page.Screenshot);
        Assert.True(Browser.DistinctPixelBytes(page.Screenshot) > 32, "the screenshot is blank");
    }
}
