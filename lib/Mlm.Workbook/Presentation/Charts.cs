using System.Security.Cryptography;
using System.Text;
using XPlot.Plotly;

namespace Mlm.Workbook.Presentation;

/// <summary>XPlot.Plotly charts as notebook HTML.</summary>
public static class Charts
{
    /// <summary>
    /// The plotly.js bundle loaded when a page has none. XPlot.Plotly 4.1.0 writes the plotly.js 1.x/2.x
    /// schema, so this is the 2.x line, the same version <c>lib/package.json</c> pins for the offline report.
    /// </summary>
    public const string PlotlyCdn = "https://cdn.plot.ly/plotly-2.35.3.min.js";

    /// <summary>
    /// A chart as an HTML fragment: a <c>div</c> and a script that draws into it with the page's plotly.js,
    /// loading plotly.js from its CDN only when the page has none (as in VS Code). The div's id is derived
    /// from the chart's content, so the same chart always gives the same HTML.
    /// </summary>
    public static string ToHtml(PlotlyChart chart)
    {
        if (chart is null) throw new ArgumentNullException(nameof(chart));
        var script = chart.GetPlottingJS();
        var id = "plot-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(script.Replace(chart.Id, "")))).Substring(0, 16).ToLowerInvariant();
        script = script.Replace(chart.Id, id);
        return $$"""
            <div id="{{id}}" class="plotly-chart" style="width: 100%; max-width: 900px; height: 500px;"></div>
            <script>
            (function () {
                function draw() {
                    {{script.Trim()}}
                }
                if (window.Plotly) { draw(); return; }
                var loader = document.createElement('script');
                loader.src = '{{PlotlyCdn}}';
                loader.onload = draw;
                document.head.appendChild(loader);
            })();
            </script>
            """;
    }
}
