using Mlm.Workbook;
using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Kernel;

/// <summary>The kernel's engine: the same <see cref="NotebookSession"/> the headless runner uses, for the notebook folder the kernel starts in.</summary>
public sealed class NotebookSessionEngine(string workingDirectory) : IKernelEngine
{
    private readonly NotebookSession _session = new(workingDirectory, InstalledPlotlyScript());

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
    public Task<CellRun> ExecuteAsync(string source, ICellOutputSink sink, CancellationToken cancellationToken) =>
        _session.ExecuteAsync(source, sink, cancellationToken);

    /// <inheritdoc/>
    public Task<CompletionResult> CompleteAsync(string source, int cursor, CancellationToken cancellationToken) =>
        _session.CompleteAsync(source, cursor, cancellationToken);

    /// <inheritdoc/>
    public Task<InspectionResult?> InspectAsync(string source, int cursor, CancellationToken cancellationToken) =>
        _session.InspectAsync(source, cursor, cancellationToken);

    /// <inheritdoc/>
    public IsCompleteResult IsComplete(string source) => _session.IsComplete(source);

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();
}
