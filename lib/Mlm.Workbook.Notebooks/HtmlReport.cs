using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// One self-contained HTML page of executed notebooks: markdown rendered, code, outputs and charts. plotly.js is
/// embedded in the page, so it works offline and loads no script from the network.
/// </summary>
/// <remarks>
/// The page is safe to open whatever the notebooks hold: markdown passes no raw HTML, charts are drawn by the page's
/// own script from their plotly JSON (embedded as data, escaped), and every other HTML output is shown in a frame
/// sandboxed without scripts.
/// </remarks>
public static class HtmlReport
{

    /// <summary>Writes the report.</summary>
    /// <param name="results">The notebooks, in the order they ran.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="plotlyScript">The plotly.js bundle to embed.</param>
    public static void Write(IReadOnlyList<NotebookResult> results, string path, string plotlyScript)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>MLM key-design workbook</title>\n");
        html.Append("<style>").Append(Style).Append("</style>\n");
        // Escaped so that no "</script" inside the bundle can end the element early.
        html.Append("<script>").Append(File.ReadAllText(plotlyScript).Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)).Append("</script>\n");
        html.Append("</head>\n<body>\n<header><h1>MLM key-design workbook</h1>\n<nav><ol>");
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            html.Append($"<li class=\"{(result.Succeeded ? "ok" : "failed")}\"><a href=\"#notebook-{i + 1}\">{Encode(result.Notebook.Title)}</a> ")
                .Append($"<span class=\"meta\">{Encode(result.Notebook.Name)} · {result.CellsRun}/{result.CodeCells} cells · ")
                .Append(result.Succeeded ? "ok" : "failed").Append("</span></li>");
        }
        html.Append("</ol></nav></header>\n");
        var charts = 0;
        for (var i = 0; i < results.Count; i++) AppendNotebook(html, results[i], i + 1, ref charts);
        html.Append("<script>").Append(PageScript).Append("</script>\n");
        html.Append("</body>\n</html>\n");
        AtomicFile.WriteAllText(path, html.ToString());
    }

    private static void AppendNotebook(StringBuilder html, NotebookResult result, int number, ref int charts)
    {
        html.Append($"<section class=\"notebook\" id=\"notebook-{number}\">\n<p class=\"source\">{Encode(result.Notebook.Name)}</p>\n");
        if (!result.Succeeded) html.Append($"<p class=\"failure\">{Encode(result.Error!)}</p>\n");
        foreach (var cell in result.Notebook.Cells)
        {
            switch (cell.Type)
            {
                case "markdown":
                    html.Append("<div class=\"markdown\">").Append(ReportMarkdown.ToHtml(cell.Source)).Append("</div>\n");
                    break;
                case "code":
                    var count = cell.ExecutionCount is { } n ? n.ToString() : " ";
                    html.Append($"<div class=\"cell\"><div class=\"prompt\">In [{count}]:</div><pre class=\"code\"><code>{Encode(cell.Source)}</code></pre>");
                    foreach (var output in cell.Outputs.OfType<JsonObject>()) AppendOutput(html, output, ref charts);
                    html.Append("</div>\n");
                    break;
            }
        }
        html.Append("</section>\n");
    }

    private static void AppendOutput(StringBuilder html, JsonObject output, ref int charts)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                html.Append($"<pre class=\"output stream {Encode(output["name"]?.GetValue<string>() ?? "")}\">{Encode(Text(output["text"]))}</pre>");
                break;
            case "error":
                var traceback = output["traceback"] is JsonArray lines ? string.Join("\n", lines.Select(l => l?.GetValue<string>())) : "";
                html.Append($"<pre class=\"output error\">{Encode(traceback.Length > 0 ? traceback : $"{Text(output["ename"])}: {Text(output["evalue"])}")}</pre>");
                break;
            case "display_data" or "execute_result" when output["data"] is JsonObject data:
                if (data[OutputFormatter.PlotlyMime] is JsonObject figure)
                {
                    // Drawn by the page's own script from the chart's data; the chart's HTML, with its script, is not used.
                    var id = $"chart-{++charts}";
                    html.Append($"<div id=\"{id}\" class=\"{Mlm.Workbook.Presentation.Charts.ChartClass}\" style=\"width: 100%; max-width: 900px; height: 500px;\"></div>")
                        .Append($"<script type=\"application/json\" class=\"chart-data\" data-chart=\"{id}\">{ScriptJson.Embed(figure)}</script>");
                }
                else if (data["text/html"] is { } markup) html.Append(SandboxedOutput(Text(markup)));
                else if (data["image/png"] is { } png && IsBase64(Text(png).Trim())) html.Append($"<div class=\"output\"><img alt=\"\" src=\"data:image/png;base64,{Text(png).Trim()}\"></div>");
                else if (data["text/plain"] is { } plain) html.Append($"<pre class=\"output\">{Encode(Text(plain))}</pre>");
                break;
        }
    }

    /// <summary>
    /// HTML a notebook produced, in a frame sandboxed without scripts, forms or navigation: whatever it holds runs
    /// nothing. The frame shares the page's origin only so that the page's script can size it to its content.
    /// </summary>
    private static string SandboxedOutput(string markup)
    {
        var document = "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            + "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'; object-src 'none'\">"
            + $"<style>{FrameStyle}</style></head><body>{markup}</body></html>";
        return $"<iframe class=\"output html\" sandbox=\"allow-same-origin\" title=\"output\" srcdoc=\"{Encode(document)}\"></iframe>";
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray parts => string.Concat(parts.Select(p => p?.GetValue<string>())),
        JsonValue value => value.GetValue<string>(),
        _ => "",
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem 2rem; color: #1f2328; }
        header nav ol { line-height: 1.7; }
        nav li.failed a, p.failure { color: #b42318; }
        .meta { color: #667085; font-size: 0.85em; }
        section.notebook { border-top: 3px solid #d0d7de; margin-top: 2rem; padding-top: 1rem; }
        p.source { color: #667085; font-family: ui-monospace, monospace; font-size: 0.85em; }
        .cell { margin: 0.8rem 0; }
        .prompt { color: #667085; font-family: ui-monospace, monospace; font-size: 0.8em; }
        pre { overflow-x: auto; padding: 0.6rem; border-radius: 6px; font-size: 0.85em; }
        pre.code { background: #f6f8fa; border: 1px solid #d0d7de; }
        pre.output { background: #fff; border-left: 3px solid #d0d7de; }
        pre.error { background: #fff1f0; border-left: 3px solid #b42318; color: #b42318; }
        iframe.output.html { display: block; width: 100%; height: 12rem; border: 0; margin: 0.4rem 0; }
        """ + TableStyle;

    // The look of the page's tables, inside each sandboxed output as on the page.
    private const string FrameStyle = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; }
        """ + TableStyle;

    private const string TableStyle = """
        table { border-collapse: collapse; font-size: 0.85em; }
        th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        thead th { background: #f6f8fa; }
        td.null { color: #98a2b3; }
        .dataframe-shape { color: #667085; font-size: 0.85em; }
        """;

    // Draws each chart from its JSON (one bad chart does not stop the others) and fits each sandboxed output's
    // frame to its content, which the frame cannot do itself without scripts.
    private const string PageScript = """
        document.querySelectorAll('script.chart-data').forEach(function (data) {
            try {
                var figure = JSON.parse(data.textContent);
                Plotly.newPlot(data.getAttribute('data-chart'), figure.data, figure.layout);
            } catch (e) { console.error(e); }
        });
        document.querySelectorAll('iframe.output').forEach(function (frame) {
            function fit() {
                var page = frame.contentDocument;
                if (!page || !page.documentElement) return;
                frame.style.height = '0px'; // else the frame's own height is the least its content measures
                frame.style.height = (page.documentElement.scrollHeight + 4) + 'px';
            }
            frame.addEventListener('load', fit);
            fit();
        });
        """;
}
