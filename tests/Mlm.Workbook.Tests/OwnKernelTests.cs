using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Mlm.Workbook.Tests.Kernel;

namespace Mlm.Workbook.Tests;

/// <summary>
/// The workbook's own kernel under real front ends: Debian's nbclient running every notebook, and classic Jupyter
/// Notebook in headless Chromium running notebook 08 cell by cell and interrupting a waiting cell.
/// </summary>
public sealed class OwnKernelTests(LocalDynamoDb dynamo) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("own-kernel-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Nbclient_runs_every_notebook_on_our_kernel_without_errors_warnings_or_stale_progress_and_as_the_runner_does()
    {
        var data = await KernelProcess.InstallAsync();
        var notebooks = Directory.GetFiles(Jupyter.NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal).ToList();

        var executed = await Jupyter.ExecuteAsync(".net-csharp", data, Path.Combine(_folder, "out"), notebooks, new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.Endpoint,
            ["MLM_TABLE"] = LocalDynamoDb.UniqueTableName("own-kernel"),
        });

        var problems = notebooks.Zip(executed).SelectMany(pair => Jupyter.Problems(Path.GetFileName(pair.First), pair.Second)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var differences = Jupyter.KindDifferences("our kernel", notebooks, executed);
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        // Every output carries text/plain besides its rich form, and a chart its plotly JSON for VS Code.
        var outputs = executed.SelectMany(Jupyter.CodeCells).SelectMany(Jupyter.Outputs)
            .Where(o => o["output_type"]!.GetValue<string>() is "display_data" or "execute_result").ToList();
        Assert.All(outputs, o => Assert.NotNull(o["data"]!["text/plain"]));
        Assert.Contains(outputs, o => o["data"]!["application/vnd.plotly.v1+json"] is JsonObject);
    }

    [Fact]
    public async Task Classic_Notebook_in_Chromium_runs_notebook_08_on_our_kernel_draws_its_table_and_charts_and_interrupts_a_waiting_cell()
    {
        Requires.Python("notebook");
        Requires.Chromium();
        var (store, _) = await dynamo.SeededTableAsync("browser");
        var data = await KernelProcess.InstallAsync();
        // A copy of the notebook beside a link to lib/, so that the front end's autosave never touches the repository.
        var root = Directory.CreateDirectory(Path.Combine(_folder, "repository")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "lib"), NodePackages.Folder());
        Directory.CreateDirectory(Path.Combine(root, "notebooks"));
        File.Copy(Path.Combine(Jupyter.NotebooksFolder, "08-chart-sales.ipynb"), Path.Combine(root, "notebooks", "08-chart-sales.ipynb"));

        var port = FreePort();
        var token = Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo("jupyter-notebook") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var argument in new[] { "--no-browser", "--allow-root", "--ip=127.0.0.1", $"--port={port}", $"--NotebookApp.token={token}", $"--notebook-dir={root}", "--NotebookApp.open_browser=False" })
            start.ArgumentList.Add(argument);
        start.Environment["JUPYTER_PATH"] = data;
        start.Environment["JUPYTER_CONFIG_DIR"] = Path.Combine(_folder, "config");
        start.Environment["JUPYTER_RUNTIME_DIR"] = Path.Combine(_folder, "runtime");
        start.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.Endpoint;
        start.Environment["MLM_TABLE"] = store.TableName;
        using var server = Process.Start(start)!;
        _ = server.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = server.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await WaitForPortAsync(port);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Browser.ExecutablePath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 2000 } });
            await page.GotoAsync($"http://127.0.0.1:{port}/notebooks/notebooks/08-chart-sales.ipynb?token={token}");
            await page.WaitForFunctionAsync("() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()",
                null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            Assert.Equal(".net-csharp", await page.EvaluateAsync<string>("() => Jupyter.notebook.kernel.name"));

            await page.EvaluateAsync("() => Jupyter.notebook.execute_all_cells()");
            await page.WaitForFunctionAsync(
                "() => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').every(c => typeof c.input_prompt_number === 'number')",
                null, new PageWaitForFunctionOptions { Timeout = 180_000 });
            await page.WaitForFunctionAsync("() => document.querySelectorAll('.plotly-chart svg.main-svg').length > 0",
                null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            var errors = await page.Locator(".output_error").CountAsync();
            var tables = await page.Locator(".output_html table.dataframe").CountAsync();
            var charts = await page.Locator(".plotly-chart").CountAsync();
            var drawn = await page.Locator(".plotly-chart svg.main-svg").EvaluateAllAsync<int>("svgs => new Set(svgs.map(svg => svg.closest('.plotly-chart'))).size");
            await SaveScreenshotAsync(page, "notebook-08-in-classic-jupyter.png");
            Assert.Equal(0, errors);
            Assert.True(tables >= 1, $"{tables} DataFrame tables shown");
            Assert.True(charts >= 3 && drawn == charts, $"{drawn} of {charts} charts drawn");

            // A cell that waits is interrupted within a second or two, and the kernel goes on.
            await page.EvaluateAsync("""
                () => {
                    const cell = Jupyter.notebook.insert_cell_at_bottom('code');
                    cell.set_text('await Task.Delay(120_000);');
                    cell.execute();
                }
                """);
            await page.WaitForFunctionAsync("() => Jupyter.notebook.kernel_busy === true || document.querySelector('#kernel_indicator_icon.kernel_busy_icon') !== null",
                null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            var clock = Stopwatch.StartNew();
            await page.EvaluateAsync("() => Jupyter.notebook.kernel.interrupt()");
            await page.WaitForFunctionAsync("() => typeof Jupyter.notebook.get_cells().at(-1).input_prompt_number === 'number'",
                null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            var interruptedIn = clock.Elapsed;
            var lastOutput = await page.EvaluateAsync<string>("() => Jupyter.notebook.get_cells().at(-1).output_area.element.text()");
            await page.EvaluateAsync("() => { const cell = Jupyter.notebook.insert_cell_at_bottom('code'); cell.set_text('6 * 7'); cell.execute(); }");
            await page.WaitForFunctionAsync("() => Jupyter.notebook.get_cells().at(-1).output_area.element.text().includes('42')",
                null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            await SaveScreenshotAsync(page, "notebook-08-interrupted.png");
            Assert.Contains("interrupted", lastOutput, StringComparison.OrdinalIgnoreCase);
            Assert.True(interruptedIn < TimeSpan.FromSeconds(5), $"the interrupt took {interruptedIn}");
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Keeps a screenshot with the test results, and in artifacts/test-results for a reader.</summary>
    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        var folder = Directory.CreateDirectory(Path.Combine(RepositoryRoot.Find(), "artifacts", "test-results")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, name), bytes);
        TestContext.Current.AddAttachment(name, bytes, "image/png");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }
        Assert.Fail($"classic Jupyter Notebook did not listen on port {port} within 60 s");
    }
}
