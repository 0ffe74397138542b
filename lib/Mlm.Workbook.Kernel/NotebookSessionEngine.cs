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
            // plotly.js goes into the first chart's HTML, so that classic Notebook and JupyterLab draw charts with no
            // network; without it installed, charts load it from its CDN.
            var session = new NotebookSession(workingDirectory, NodePackages.InstalledPlotlyScript());
            NotebookSession.WarmUp();
            return session;
        });

    /// <inheritdoc/>
    public async Task<CellRun> ExecuteAsync(string source, ICellOutputSink sink, ICellInput? input, CancellationToken cancellationToken) =>
        await (await _session).ExecuteAsync(source, sink, cancellationToken, input: input);

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
