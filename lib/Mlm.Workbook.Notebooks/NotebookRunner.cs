using System.Globalization;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Mlm.Workbook;

namespace Mlm.Workbook.Notebooks;

/// <summary>What to run and where to write it.</summary>
/// <param name="Paths">Notebooks, or folders whose <c>NN-*.ipynb</c> run in order.</param>
/// <param name="OutputDirectory">Where executed notebooks and <c>report.html</c> go, and the files the notebooks make (<see cref="Mlm.Workbook.RunOutput"/>).</param>
/// <param name="InPlace">Write executed notebooks back over their sources.</param>
/// <param name="Parameters">Values for the cells tagged <c>parameters</c>, papermill style: each applies to the notebooks that declare it.</param>
/// <param name="StopOnError">Stop after the first notebook that fails.</param>
/// <param name="CellTimeout">How long one cell may run before it is stopped; null for no limit.</param>
/// <param name="ContinueAfterError">Run a notebook's later cells after one fails, as grading does.</param>
public sealed record RunOptions(
    IReadOnlyList<string> Paths, string OutputDirectory, bool InPlace = false,
    IReadOnlyDictionary<string, string>? Parameters = null, bool StopOnError = false,
    TimeSpan? CellTimeout = null, bool ContinueAfterError = false);

/// <summary>How one notebook ran.</summary>
/// <param name="Notebook">The executed notebook, outputs included.</param>
/// <param name="OutputPath">Where it was written.</param>
/// <param name="CellsRun">Code cells that ran (the failing one included).</param>
/// <param name="CodeCells">Code cells in the notebook.</param>
/// <param name="Error">The first error, naming the cell; null when every cell ran.</param>
/// <param name="Elapsed">Wall-clock time.</param>
public sealed record NotebookResult(Notebook Notebook, string OutputPath, int CellsRun, int CodeCells, string? Error, TimeSpan Elapsed)
{
    /// <summary>Whether every code cell ran without an error.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>
/// Runs notebooks headless: each in a fresh C# session, cells in order, outputs written into the notebook as
/// Polyglot would write them. A failing cell becomes an error output and ends its notebook; the others still run.
/// </summary>
public static partial class NotebookRunner
{
    /// <summary>The notebooks a list of paths names, folders expanded to their <c>NN-*.ipynb</c> in name order.</summary>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var notebooks = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                notebooks.AddRange(Directory.GetFiles(path, "*.ipynb").Where(f => NumberedNotebook().IsMatch(Path.GetFileName(f))).Order(StringComparer.Ordinal));
            else if (File.Exists(path))
                notebooks.Add(path);
            else
                throw new FileNotFoundException($"No notebook or folder at {path}.", path);
        }
        return notebooks.Select(Path.GetFullPath).ToList();
    }

    /// <summary>Runs notebooks and writes the executed copies.</summary>
    /// <param name="options">What to run.</param>
    /// <param name="progress">Told a line of text as each notebook and cell starts and ends.</param>
    /// <param name="cancellationToken">Stops between cells.</param>
    /// <exception cref="ArgumentException">A parameter no notebook declares, or a value its type cannot take; nothing ran.</exception>
    public static async Task<IReadOnlyList<NotebookResult>> RunAsync(RunOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var notebooks = Expand(options.Paths);
        if (notebooks.Count == 0)
            throw new FileNotFoundException($"No NN-name.ipynb notebooks in {string.Join(", ", options.Paths)}.");
        var parameters = NotebookParameters.Plan(notebooks, options.Parameters);
        var results = new List<NotebookResult>();
        // The files a notebook makes (a CSV export) go to the run's output folder; see RunOutput.
        var outerOutput = Environment.GetEnvironmentVariable(RunOutput.Variable);
        Environment.SetEnvironmentVariable(RunOutput.Variable, Path.GetFullPath(options.OutputDirectory));
        try
        {
            foreach (var path in notebooks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = await RunOneAsync(path, options, parameters.GetValueOrDefault(path), progress, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                if (!result.Succeeded && options.StopOnError) break;
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(RunOutput.Variable, outerOutput);
        }
        return results;
    }

    private static async Task<NotebookResult> RunOneAsync(
        string path, RunOptions options, IReadOnlyList<ParameterValue>? parameters, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Notebook notebook;
        try
        {
            notebook = Notebook.Load(path);
            notebook.EnsureCSharp();
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // One unreadable notebook is one failure in the summary; the others still run.
            var failure = $"{Path.GetFileName(path)}: {e.Message}";
            progress?.Report($"✘ {failure}");
            return new NotebookResult(Notebook.Unreadable(path, e.Message), path, 0, 0, failure, clock.Elapsed);
        }
        if (parameters is not null) NotebookParameters.Inject(notebook, parameters);
        var codeCells = notebook.Cells.Where(c => c.Type == "code").ToList();
        progress?.Report($"▶ {notebook.Name} ({codeCells.Count} code cells)");

        string? error = null;
        var cellsRun = 0;
        using (var session = new NotebookSession(Path.GetDirectoryName(path)!))
        {
            foreach (var cell in codeCells)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (error is not null && !options.ContinueAfterError)
                {
                    cell.SetOutputs([], null); // not run: a reader sees no stale output
                    continue;
                }
                cellsRun++;
                var cellNumber = notebook.Cells.ToList().IndexOf(cell) + 1;
                progress?.Report($"  cell {cellNumber} (code cell {cellsRun} of {codeCells.Count})");
                var outputs = new CellOutputs(cellsRun);
                using var limit = new CancellationTokenSource();
                if (options.CellTimeout is { } timeout) limit.CancelAfter(timeout);
                var run = await session.ExecuteAsync(cell.Source, outputs, limit.Token, cell.KernelName ?? notebook.DefaultKernel).ConfigureAwait(false);
                if (run.Interrupted && limit.IsCancellationRequested)
                    outputs.Stream("stderr", string.Create(CultureInfo.InvariantCulture, $"The cell was stopped after its time limit of {options.CellTimeout!.Value.TotalSeconds:0} s.\n"));
                cell.SetOutputs(outputs.Snapshot(), cellsRun);
                if (!run.Succeeded) error ??= $"{notebook.Name}, cell {cellNumber}: {run.Error}";
            }
        }

        var outputPath = options.InPlace ? path : Path.Combine(options.OutputDirectory, notebook.Name);
        notebook.Save(outputPath);
        var result = new NotebookResult(notebook, outputPath, cellsRun, codeCells.Count, error, clock.Elapsed);
        progress?.Report(result.Succeeded
            ? string.Create(CultureInfo.InvariantCulture, $"✔ {notebook.Name}: {cellsRun} cells in {clock.Elapsed.TotalSeconds:0.0} s")
            : $"✘ {error}");
        return result;
    }

    [GeneratedRegex(@"^\d+-.+\.ipynb$")]
    private static partial Regex NumberedNotebook();

}
