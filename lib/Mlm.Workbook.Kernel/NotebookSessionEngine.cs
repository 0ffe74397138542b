using Mlm.Workbook;
using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Kernel;

/// <summary>The kernel's engine: the same <see cref="NotebookSession"/> the headless runner uses, for the notebook folder the kernel starts in.</summary>
public sealed class NotebookSessionEngine : IKernelEngine
{
    private readonly Task<NotebookSession> _session;

    /// <summary>
    /// Starts building the session, and warming the compiler up, in the background: the kernel answers the front end's
    /// first requests meanwhile, and the first cell waits only for what is left.
    /// </summary>
    public NotebookSessionEngine(string workingDirectory) =>
        _session = Task.Run(() =>
        {
            var session = new NotebookSession(workingDirectory, InstalledPlotlyScript());
            NotebookSession.WarmUp();
            return session;
        });

    /// <summary>
    /// plotly.js as npm installed it for the workbook, so that the first chart's HTML carries it and classic Notebook
    /// and JupyterLab draw charts with no network; null when it is not installed (charts then load it from its CDN).
    /// </summary>
    private static string? InstalledPlotlyScript()
    {
        try
        {
            var path = Path.Combine(NodePackages.Folder(), "node_modules", "plotly.js-dist-min", "plotly.min.js");
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (DynamoDbLocalException)
        {
            return null; // not inside the repository
        }
    }

    /// <inheritdoc/>
    public async Task<CellRun> ExecuteAsync(string source, ICellOutputSink sink, CancellationToken cancellationToken) =>
        await (await _session).ExecuteAsync(source, sink, cancellationToken);

    /// <inheritdoc/>
    public async Task<CompletionResult> CompleteAsync(string source, int cursor, CancellationToken cancellationToken) =>
        await (await _session).CompleteAsync(source, cursor, cancellationToken);

    /// <inheritdoc/>
    public async Task<InspectionResult?> InspectAsync(string source, int cursor, CancellationToken cancellationToken) =>
        await (await _session).InspectAsync(source, cursor, cancellationToken);

    /// <inheritdoc/>
    public IsCompleteResult IsComplete(string source) => _session.GetAwaiter().GetResult().IsComplete(source);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_session.IsCompletedSuccessfully) _session.Result.Dispose();
    }
}
