using Microsoft.DotNet.Interactive.Formatting;
using XPlot.Plotly;

namespace Mlm.Workbook.Presentation;

/// <summary>
/// How a notebook shows the workbook's charts and key-design views. XPlot.Plotly and this library ship no kernel
/// extension, so without this call a kernel shows them as a tree of their properties.
/// </summary>
public static class NotebookFormatters
{
    /// <summary>Registers the chart and key-design-view formatters with the kernel's formatter.</summary>
    public static void Register()
    {
        Formatter.Register<PlotlyChart>(chart => Charts.ToHtml(chart), HtmlFormatter.MimeType);
        Formatter.Register<PlotlyChart>(chart => Charts.Describe(chart), PlainTextFormatter.MimeType);
        Formatter.Register<KeyDesignView>(view => view.ToHtml(), HtmlFormatter.MimeType);
        Formatter.Register<KeyDesignView>(view => view.ToString(), PlainTextFormatter.MimeType);
        ExerciseFormatters.Register();
    }
}
