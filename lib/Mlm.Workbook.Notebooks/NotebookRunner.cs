using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Mlm.Workbook.Notebooks;

/// <summary>What to run and where to write it.</summary>
/// <param name="Paths">Notebooks, or folders whose <c>NN-*.ipynb</c> run in order.</param>
/// <param name="OutputDirectory">Where executed notebooks and <c>report.html</c> go.</param>
/// <param name="InPlace">Write executed notebooks back over their sources.</param>
/// <param name="Parameters">Values for the cell tagged <c>parameters</c>, papermill style.</param>
/// <param name="StopOnError">Stop after the first notebook that fails.</param>
public sealed record RunOptions(
    IReadOnlyList<string> Paths, string OutputDirectory, bool InPlace = false,
    IReadOnlyDictionary<string, string>? Parameters = null, bool StopOnError = false);

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
    public static async Task<IReadOnlyList<NotebookResult>> RunAsync(RunOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        OutputFormatter.RegisterDefaults();
        var packages = PinnedPackages.ForThisProcess();
        var notebooks = Expand(options.Paths);
        if (notebooks.Count == 0)
            throw new FileNotFoundException($"No NN-name.ipynb notebooks in {string.Join(", ", options.Paths)}.");
        var results = new List<NotebookResult>();
        foreach (var path in notebooks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await RunOneAsync(path, options, packages, progress, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            if (!result.Succeeded && options.StopOnError) break;
        }
        return results;
    }

    private static async Task<NotebookResult> RunOneAsync(string path, RunOptions options, PinnedPackages packages, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var notebook = Notebook.Load(path);
        InjectParameters(notebook, options.Parameters);
        var codeCells = notebook.Cells.Where(c => c.Type == "code").ToList();
        progress?.Report($"▶ {notebook.Name} ({codeCells.Count} code cells)");

        var globals = new KernelGlobals();
        var kernel = new ScriptKernel(Path.GetDirectoryName(path)!, globals);
        var originalOut = Console.Out;
        var originalError = Console.Error;
        var originalDirectory = Directory.GetCurrentDirectory();
        var originalCulture = CultureInfo.CurrentCulture;
        string? error = null;
        var cellsRun = 0;
        try
        {
            // The kernel's working directory is the notebook's folder. The culture is fixed, so that numbers and dates
            // in the outputs read the same whichever machine runs the notebooks.
            Directory.SetCurrentDirectory(Path.GetDirectoryName(path)!);
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            Console.SetOut(new CellConsoleWriter(() => globals.Current, "stdout"));
            Console.SetError(new CellConsoleWriter(() => globals.Current, "stderr"));
            foreach (var cell in codeCells)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (error is not null)
                {
                    cell.SetOutputs([], null); // not run: a reader sees no stale output
                    continue;
                }
                cellsRun++;
                var cellNumber = notebook.Cells.ToList().IndexOf(cell) + 1;
                progress?.Report($"  cell {cellNumber} (code cell {cellsRun} of {codeCells.Count})");
                var outputs = new CellOutputs();
                globals.Current = outputs;
                var run = await RunCellAsync(notebook, cell, cellNumber, cellsRun, kernel, packages, outputs).ConfigureAwait(false);
                globals.Current = null;
                cell.SetOutputs(outputs.Snapshot(), cellsRun);
                if (!run.Succeeded) error = $"{notebook.Name}, cell {cellNumber}: {run.Error}";
            }
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            Directory.SetCurrentDirectory(originalDirectory);
            CultureInfo.CurrentCulture = originalCulture;
        }

        var outputPath = options.InPlace ? path : Path.Combine(options.OutputDirectory, notebook.Name);
        notebook.Save(outputPath);
        var result = new NotebookResult(notebook, outputPath, cellsRun, codeCells.Count, error, clock.Elapsed);
        progress?.Report(result.Succeeded
            ? $"✔ {notebook.Name}: {cellsRun} cells in {clock.Elapsed.TotalSeconds:0.0} s"
            : $"✘ {error}");
        return result;
    }

    private static async Task<CellRun> RunCellAsync(
        Notebook notebook, NotebookCell cell, int cellNumber, int executionCount, ScriptKernel kernel, PinnedPackages packages, CellOutputs outputs)
    {
        CellSource.Parsed parsed;
        var assemblies = new List<string>();
        try
        {
            parsed = CellSource.Parse(cell.Source, cell.KernelName, notebook.DefaultKernel);
            foreach (var request in parsed.Packages)
            {
                try
                {
                    assemblies.AddRange(packages.Resolve(request));
                }
                catch (ArgumentException e)
                {
                    throw new CellLanguageException(e.Message, request.Line);
                }
            }
        }
        catch (CellLanguageException e)
        {
            var message = $"{notebook.Name}, cell {cellNumber}, line {e.Line}: {e.Message}";
            outputs.AddError("CellLanguageError", message, [message]);
            return new CellRun(false, $"line {e.Line}: {e.Message}");
        }
        return await kernel.RunAsync(parsed.Code, assemblies, outputs, executionCount).ConfigureAwait(false);
    }

    /// <summary>
    /// After the cell tagged <c>parameters</c>, inserts a cell tagged <c>injected-parameters</c> that sets each value:
    /// numbers and booleans typed, anything else a string.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a C# identifier, or values are given to a notebook without a parameters cell.</exception>
    public static void InjectParameters(Notebook notebook, IReadOnlyDictionary<string, string>? parameters)
    {
        if (parameters is null || parameters.Count == 0) return;
        var parametersCell = notebook.Cells.FirstOrDefault(c => c.Type == "code" && c.Tags.Contains("parameters"))
            ?? throw new ArgumentException($"{notebook.Name} has no cell tagged \"parameters\", so --set has nothing to set.");
        var lines = new List<string> { "// Injected parameters" };
        foreach (var (name, value) in parameters)
        {
            if (!Identifier().IsMatch(name))
                throw new ArgumentException($"--set {name}=…: \"{name}\" is not a C# variable name.");
            lines.Add($"var {name} = {Literal(value)};");
        }
        notebook.InsertCodeCellAfter(parametersCell, string.Join("\n", lines), "injected-parameters");
    }

    /// <summary>A <c>--set</c> value as a C# literal: <c>42</c>, <c>1.5</c>, <c>true</c>, or a quoted string.</summary>
    public static string Literal(string value)
    {
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return integer.ToString(CultureInfo.InvariantCulture);
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)) return big.ToString(CultureInfo.InvariantCulture) + "L";
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return number.ToString("R", CultureInfo.InvariantCulture) + (value.Contains('.') || value.Contains('e') || value.Contains('E') ? "" : ".0");
        if (value is "true" or "false") return value;
        return Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
    }

    [GeneratedRegex(@"^\d+-.+\.ipynb$")]
    private static partial Regex NumberedNotebook();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
