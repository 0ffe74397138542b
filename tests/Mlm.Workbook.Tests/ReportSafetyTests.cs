using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Tests;

/// <summary>
/// The report is safe to open: markdown, chart labels and HTML outputs from a notebook run no script of their own in
/// it, while the workbook's own charts still draw. Each payload marks the page with its name if it runs.
/// </summary>
[Collection(nameof(NotebookRunnerCollection))]
public sealed class ReportSafetyTests : IDisposable
{
    private const string Title = "MLM key-design workbook";

    private readonly NotebookFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string Mark(string payload) => $"top.document.title = 'injected: {payload}'; top.document.body.dataset.injected = '{payload}'";

    [Fact]
    public async Task No_script_from_markdown_a_chart_label_or_an_HTML_output_runs_and_the_charts_still_draw()
    {
        var markdown = $"""
            # Payloads

            <script>{Mark("markdown script")}</script>

            <img src="x" onerror="{Mark("markdown img")}">

            <svg onload="{Mark("markdown svg")}"></svg>
            """;
        var label = $"</script><img src=x onerror=\"{Mark("chart label")}\">";
        var html = $"<script>{Mark("html output script")}</script><img src=x onerror=\"{Mark("html output img")}\"><b>shown</b>";
        var notebook = _files.Write("01-payloads.ipynb",
            NotebookFiles.Markdown(markdown),
            NotebookFiles.Code($"#r \"nuget: Microsoft.Data.Analysis, 0.23.1\"\n#r \"nuget: XPlot.Plotly, 4.1.0\"\n{NotebookFiles.LibraryReference}\nusing Microsoft.Data.Analysis;\nusing XPlot.Plotly;\nMlm.Workbook.Presentation.NotebookFormatters.Register();"),
            NotebookFiles.Code($"var bars = Chart.Plot(new Bar {{ x = new[] {{ \"pen\", {Literal(label)} }}, y = new[] {{ 3, 5 }} }});\nbars.WithTitle({Literal(label)});\nbars"),
            NotebookFiles.Code($"display(new Microsoft.AspNetCore.Html.HtmlString({Literal(html)}));"),
            NotebookFiles.Code("new DataFrame(new StringDataFrameColumn(\"item\", new[] { \"pen\", \"book\" }))"));
        var results = await NotebookRunner.RunAsync(new RunOptions([notebook], Path.Combine(_files.Folder, "out")), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(results.Single().Succeeded, results.Single().Error);
        var report = Path.Combine(_files.Folder, "out", "report.html");
        HtmlReport.Write(results, report, await NodePackages.PlotlyScriptAsync(TestContext.Current.CancellationToken));

        // The title and marker show whether a payload ran; the last part whether each output's frame fits its content.
        var page = await Browser.OpenAsync(report, "document.title + '|' + (document.body.dataset.injected || '') + '|' + "
            + "[...document.querySelectorAll('iframe.output')].every(f => f.clientHeight >= f.contentDocument.documentElement.scrollHeight)");

        Assert.Equal($"{Title}||true", page.Probe);
        Assert.Equal(1, page.Charts);
        Assert.Equal(1, page.ChartsDrawn);
        Assert.Equal(1, page.VisibleTables); // the DataFrame, shown in its sandbox
    }

    [Fact]
    public void Markdown_keeps_no_raw_HTML_no_added_attributes_and_no_script_links()
    {
        var html = ReportMarkdown.ToHtml("""
            # Heading {onclick="alert(1)"}

            <b onmouseover="alert(2)">bold</b> [link](javascript:alert(3)) [spaced](java	script:alert(4)) <javascript:alert(5)>
            ![image](data:image/svg+xml,<svg onload=alert(6)>) [web](https://example.com/a) [relative](02-seed-data.ipynb#top)

            | a | b |
            |---|---|
            | 1 | 2 |
            """);

        Assert.DoesNotContain("<b ", html);
        Assert.Contains("&lt;b onmouseover=", html);
        Assert.DoesNotContain("onclick=\"", html);
        Assert.DoesNotContain("href=\"javascript", html);
        Assert.DoesNotContain("href=\"java\tscript", html);
        Assert.DoesNotContain("src=\"data:image/svg", html);
        Assert.Contains("href=\"https://example.com/a\"", html);
        Assert.Contains("href=\"02-seed-data.ipynb#top\"", html);
        Assert.Contains("<table>", html);
    }

    [Fact]
    public void Chart_JSON_in_a_script_element_cannot_end_it_and_still_parses_to_the_same_value()
    {
        var value = new System.Text.Json.Nodes.JsonObject { ["label"] = "</script><img src=x onerror=alert(1)> & \u2028\u2029 <!--" };

        var embedded = ScriptJson.Embed(value);

        Assert.DoesNotContain('<', embedded);
        Assert.DoesNotContain('>', embedded);
        Assert.DoesNotContain('&', embedded);
        Assert.DoesNotContain('\u2028', embedded);
        Assert.DoesNotContain('\u2029', embedded);
        Assert.Equal(value["label"]!.GetValue<string>(), System.Text.Json.Nodes.JsonNode.Parse(embedded)!["label"]!.GetValue<string>());
    }

    private static string Literal(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
