using System.Text.Json.Nodes;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// Puts plotly.js itself into the first chart a session shows, so that a chart's HTML draws in classic Notebook and
/// JupyterLab with no network: later charts find it on the page. The bundle is wrapped so that it sets
/// <c>window.Plotly</c> even where require.js defines <c>define</c> (classic Notebook).
/// </summary>
internal sealed class OfflineCharts(ICellOutputSink inner, Func<bool> claimFirstChart, string plotlyScript) : ICellOutputSink
{
    public void Stream(string name, string text) => inner.Stream(name, text);

    public void Display(string displayId, JsonObject data) => inner.Display(displayId, WithPlotly(data));

    public void UpdateDisplay(string displayId, JsonObject data) => inner.UpdateDisplay(displayId, WithPlotly(data));

    public void Result(JsonObject data) => inner.Result(WithPlotly(data));

    public void Error(string name, string value, IReadOnlyList<string> traceback) => inner.Error(name, value, traceback);

    private JsonObject WithPlotly(JsonObject data)
    {
        if (!data.ContainsKey(OutputFormatter.PlotlyMime) || data[OutputFormatter.HtmlMime] is not JsonValue html || !claimFirstChart()) return data;
        var bundle = plotlyScript.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        data[OutputFormatter.HtmlMime] =
            $"<script>(function (define, module, exports) {{\n{bundle}\n}})(undefined, undefined, undefined);</script>\n{html.GetValue<string>()}";
        return data;
    }
}
