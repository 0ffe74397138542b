using System.IO.Compression;
using Microsoft.Playwright;

namespace Mlm.Workbook.Tests;

/// <summary>Debian's Chromium, driven headless by Playwright, for checking the HTML report as a reader sees it.</summary>
public static class Browser
{
    /// <summary>Where Debian installs Chromium; <c>MLM_CHROMIUM</c> names another.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("MLM_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>What a page showed: tables (in the page or in its sandboxed outputs), charts drawn, a screenshot, and what the probe said.</summary>
    public sealed record PageCheck(int VisibleTables, int VisibleKeyDesignViews, int Charts, int ChartsDrawn, byte[] Screenshot, string? Probe = null);

    /// <summary>Opens a local HTML file, waits for every plotly chart to draw, and reports what is on the page.</summary>
    /// <param name="htmlFile">The page.</param>
    /// <param name="probe">A JavaScript expression evaluated in the page once it has loaded and drawn; its value as text is <see cref="PageCheck.Probe"/>.</param>
    public static async Task<PageCheck> OpenAsync(string htmlFile, string? probe = null)
    {
        Requires.Chromium();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Keeps Chromium from reaching for the network, which this machine's sandbox refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1600 } });
        var offline = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("file:", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal)) offline.Add(request.Url);
        };
        await page.GotoAsync(new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri);
        await page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('.plotly-chart')].every(chart => chart.querySelector('svg.main-svg'))",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        Assert.Empty(offline);

        // The report shows HTML outputs in sandboxed frames, so tables are counted in every frame of the page.
        async Task<int> VisibleAsync(string selector)
        {
            var visible = 0;
            foreach (var frame in page.Frames)
            foreach (var element in await frame.Locator(selector).AllAsync())
                if (await element.IsVisibleAsync()) visible++;
            return visible;
        }
        var charts = await page.Locator(".plotly-chart").CountAsync();
        var drawn = await page.Locator(".plotly-chart svg.main-svg").EvaluateAllAsync<int>(
            "svgs => new Set(svgs.map(svg => svg.closest('.plotly-chart'))).size");
        var screenshot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = false });
        var probed = probe is null ? null : await page.EvaluateAsync<string>($"() => String({probe})");
        return new PageCheck(await VisibleAsync("table.dataframe"), await VisibleAsync("table.key-design"), charts, drawn, screenshot, probed);
    }

    /// <summary>
    /// How many distinct byte values the decompressed pixel rows of a PNG hold: a blank page has a handful
    /// (one colour and the row filters), a page with text, tables and charts has many.
    /// </summary>
    public static int DistinctPixelBytes(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
        using var compressed = new MemoryStream();
        for (var offset = 8; offset + 8 <= png.Length;)
        {
            var length = (png[offset] << 24) | (png[offset + 1] << 16) | (png[offset + 2] << 8) | png[offset + 3];
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            if (type == "IDAT") compressed.Write(png, offset + 8, length);
            offset += 12 + length;
        }
        compressed.Position = 0;
        using var pixels = new ZLibStream(compressed, CompressionMode.Decompress);
        var seen = new bool[256];
        var buffer = new byte[81920];
        int read;
        while ((read = pixels.Read(buffer)) > 0)
            for (var i = 0; i < read; i++) seen[buffer[i]] = true;
        return seen.Count(s => s);
    }
}
