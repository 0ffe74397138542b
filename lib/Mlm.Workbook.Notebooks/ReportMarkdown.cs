using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// Markdown cells as HTML that runs nothing when the report is opened: raw HTML in the markdown is shown as text,
/// no extension may add attributes (such as <c>onclick</c>) or third-party frames, and links and images keep only
/// web, mail and relative addresses (a <c>javascript:</c> link becomes inert).
/// </summary>
internal static class ReportMarkdown
{
    // Markdig's advanced extensions less generic attributes ({onclick=...} would reach the page) and media links
    // (they embed video players that load from the network); raw HTML is escaped, not passed through.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAlertBlocks().UseAbbreviations().UseAutoIdentifiers().UseCitations().UseCustomContainers().UseDefinitionLists()
        .UseEmphasisExtras().UseFigures().UseFooters().UseFootnotes().UseGridTables().UseMathematics().UsePipeTables()
        .UseListExtras().UseTaskLists().UseDiagrams().UseAutoLinks()
        .DisableHtml()
        .Build();

    private static readonly string[] SafeSchemes = ["http", "https", "mailto"];

    /// <summary>A markdown cell's source as HTML.</summary>
    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
            if (!IsSafe(link.Url, link.IsImage)) link.Url = "#";
        foreach (var link in document.Descendants<AutolinkInline>())
            if (!link.IsEmail && !IsSafe(link.Url, image: false)) link.Url = "#";
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>Whether an address may stay: no scheme (relative), a web or mail scheme, or an image as data.</summary>
    internal static bool IsSafe(string? url, bool image)
    {
        if (string.IsNullOrEmpty(url)) return true;
        // Browsers ignore control characters and spaces in a scheme ("java\tscript:"), so they are ignored here too.
        var compact = string.Concat(url.Where(c => c > ' ')).ToLowerInvariant();
        var colon = compact.IndexOf(':');
        var end = compact.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (end >= 0 && end < colon)) return true;
        var scheme = compact.Substring(0, colon);
        return SafeSchemes.Contains(scheme) || (image && compact.StartsWith("data:image/", StringComparison.Ordinal) && !compact.StartsWith("data:image/svg", StringComparison.Ordinal));
    }
}
