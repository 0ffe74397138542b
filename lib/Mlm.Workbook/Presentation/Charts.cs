using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using XPlot.Plotly;

namespace Mlm.Workbook.Presentation;

/// <summary>XPlot.Plotly charts as notebook HTML.</summary>
public static partial class Charts
{
    /// <summary>
    /// The plotly.js bundle loaded when a page has none. XPlot.Plotly 4.1.0 writes the plotly.js 1.x/2.x
    /// schema, so this is the 2.x line, the same version <c>lib/package.json</c> pins for the offline report.
    /// </summary>
    public const string PlotlyCdn = "https://cdn.plot.ly/plotly-2.35.3.min.js";

    /// <summary>The class of the <c>div</c> a chart is drawn into.</summary>
    public const string ChartClass = "plotly-chart";

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
            <div id="{{id}}" class="{{ChartClass}}" style="width: 100%; max-width: 900px; height: 500px;"></div>
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

    /// <summary>
    /// A chart as plotly's own JSON, <c>{"data": [...], "layout": {...}}</c>: the
    /// <c>application/vnd.plotly.v1+json</c> output that VS Code and JupyterLab draw without plotly.js on the page.
    /// </summary>
    public static string ToPlotlyJson(PlotlyChart chart)
    {
        if (chart is null) throw new ArgumentNullException(nameof(chart));
        var script = chart.GetPlottingJS();
        var data = PlottingVariable().Match(script, 0) is { Success: true } d && d.Groups["name"].Value == "data" ? d.Groups["json"].Value : "[]";
        var layout = PlottingVariable().Matches(script).FirstOrDefault(m => m.Groups["name"].Value == "layout")?.Groups["json"].Value is ['{', ..] found ? found : "{}";
        return $"{{\"data\": {data}, \"layout\": {layout}}}";
    }

    /// <summary>A chart in one line of text, for front ends that show no HTML: its title and its kind.</summary>
    public static string Describe(PlotlyChart chart)
    {
        using var plot = System.Text.Json.JsonDocument.Parse(ToPlotlyJson(chart));
        var root = plot.RootElement;
        var title = root.GetProperty("layout").TryGetProperty("title", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String ? t.GetString() : null;
        var kinds = root.GetProperty("data").EnumerateArray()
            .Select(trace => trace.TryGetProperty("type", out var type) ? type.GetString() : null).OfType<string>().Distinct();
        return $"Chart{(title is null ? "" : $" \"{title}\"")} ({string.Join(", ", kinds)}): it draws in VS Code, Jupyter and the HTML report.";
    }

    // XPlot's plotting script declares `var data = [...];` and `var layout = {...};`, each on a line of its own.
    [GeneratedRegex(@"var (?<name>data|layout) = (?<json>.*?);\s*$", RegexOptions.Multiline)]
    private static partial Regex PlottingVariable();

    /// <summary>
    /// A member's organisation drawn as a tree: one marker per member, a level per row (the member at the top), lines
    /// from each recruiter to its recruits. Hovering a marker shows the member, its level and what it sold.
    /// </summary>
    /// <param name="organisation">The organisation.</param>
    /// <param name="memberId">The member at the top.</param>
    public static PlotlyChart OrganisationTree(Organisation organisation, string memberId)
    {
        var root = organisation.Member(memberId);
        var downline = organisation.Downline(root.Id);
        var level = downline.ToDictionary(m => m.Member.Id, m => m.Level, StringComparer.Ordinal);
        level[root.Id] = 0;
        var recruits = downline.Select(m => m.Member).ToLookup(m => m.RecruitedBy!, StringComparer.Ordinal);
        var sold = organisation.Sales.GroupBy(s => s.MemberId).ToDictionary(g => g.Key, g => g.Sum(s => s.Amount), StringComparer.Ordinal);

        // Leaves take the next free column in depth-first order; a recruiter sits above the middle of its recruits.
        var x = new Dictionary<string, double>(StringComparer.Ordinal);
        var nextLeaf = 0.0;
        double Place(Member member)
        {
            var children = recruits[member.Id].OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            x[member.Id] = children.Count == 0 ? nextLeaf++ : children.Select(Place).Average();
            return x[member.Id];
        }
        Place(root);

        var members = new[] { root }.Concat(downline.Select(m => m.Member)).ToList();
        var edgeX = new List<object?>();
        var edgeY = new List<object?>();
        foreach (var member in members.Skip(1))
        {
            edgeX.AddRange([x[member.RecruitedBy!], x[member.Id], null]);
            edgeY.AddRange([level[member.RecruitedBy!], level[member.Id], null]);
        }
        var chart = Chart.Plot(new[]
        {
            new Scatter { x = edgeX, y = edgeY, mode = "lines", hoverinfo = "none", showlegend = false, line = new Line { color = "#98a2b3", width = 1 } },
            new Scatter
            {
                x = members.Select(m => x[m.Id]), y = members.Select(m => level[m.Id]), mode = "markers", showlegend = false, hoverinfo = "text",
                text = members.Select(m => string.Create(CultureInfo.InvariantCulture, $"{Keys.User(m.Id)} {m.Name}<br>level {level[m.Id]}, sold {sold.GetValueOrDefault(m.Id):0.00}")),
                marker = new Marker { size = 9, color = members.Select(m => level[m.Id]) },
            },
        });
        chart.WithLayout(new XPlot.Plotly.Layout.Layout
        {
            title = $"The organisation under {Keys.User(root.Id)}: {downline.Count} members, {(downline.Count == 0 ? 0 : downline[^1].Level)} levels",
            showlegend = false,
            xaxis = new Xaxis { showgrid = false, zeroline = false, showticklabels = false },
            yaxis = new Yaxis { autorange = "reversed", title = "level", dtick = 1, zeroline = false },
        });
        return chart;
    }
}
