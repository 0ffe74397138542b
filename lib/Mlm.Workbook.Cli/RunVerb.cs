using System.Globalization;
using System.Diagnostics;
using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Cli;

/// <summary>The <c>run</c> verb: notebooks headless, executed copies and an offline HTML report.</summary>
internal static class RunVerb
{
    public static System.CommandLine.Command Command()
    {
        var paths = new System.CommandLine.Argument<string[]>("NOTEBOOK-OR-FOLDER")
        {
            Description = "Notebooks (NN-name.ipynb) or folders of them, run in order (default: notebooks)",
            Arity = System.CommandLine.ArgumentArity.ZeroOrMore,
        };
        var output = new System.CommandLine.Option<string>("--out")
        {
            Description = "Folder for the executed notebooks and report.html",
            DefaultValueFactory = _ => "artifacts",
            HelpName = "DIR",
        };
        output.Validators.Add(result =>
        {
            var folder = result.GetValueOrDefault<string>();
            if (File.Exists(folder)) result.AddError($"--out {folder} names a file; give a folder (it is created if missing).");
        });
        var inPlace = CliOptions.Flag("--in-place", "Write outputs back into the notebooks themselves instead of --out");
        var set = new System.CommandLine.Option<string[]>("--set")
        {
            Description = "Set a value of the cell tagged 'parameters' (typed by that cell's own declaration); repeatable, each NAME once",
            HelpName = "NAME=VALUE",
            Arity = System.CommandLine.ArgumentArity.OneOrMore,
        };
        set.Validators.Add(result =>
        {
            try
            {
                Assignments(result.GetValueOrDefault<string[]>() ?? []);
            }
            catch (ArgumentException e)
            {
                result.AddError(e.Message);
            }
        });
        var stopOnError = CliOptions.Flag("--stop-on-error", "Stop at the first notebook with a failing cell");
        // As grade has it, but with no limit unless given: the workbook's own notebooks have long cells (notebook 9's load).
        var timeout = CliOptions.OptionalNumber("--cell-timeout",
            "Seconds one cell may run before it is stopped and counted as failed; the run goes on with the next notebook (default: no limit)",
            "SECONDS", 1, 86_400);
        var keep = CliOptions.KeepDynamoDb();
        var command = new System.CommandLine.Command("run",
            "Run notebooks headless, write the executed notebooks and one offline report.html; exit non-zero if any cell failed.")
        {
            paths, output, inPlace, set, stopOnError, timeout, keep,
        };
        command.SetAction((result, _) => RunAsync(result.GetValue(paths) ?? [], result.GetValue(output)!, result.GetValue(inPlace),
            Assignments(result.GetValue(set) ?? []), result.GetValue(stopOnError),
            result.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null, result.GetValue(keep)));
        return command;
    }

    /// <summary>NAME=VALUE pairs as a dictionary; a malformed pair or a NAME given twice is an error. Their meaning is the runner's.</summary>
    private static Dictionary<string, string> Assignments(IEnumerable<string> assignments)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in assignments)
        {
            var equals = assignment.IndexOf('=');
            if (equals < 1) throw new ArgumentException($"--set takes NAME=VALUE; got \"{assignment}\".");
            if (!parameters.TryAdd(assignment.Substring(0, equals), assignment.Substring(equals + 1)))
                throw new ArgumentException($"--set {assignment.Substring(0, equals)} is given twice; give each parameter once.");
        }
        return parameters;
    }

    private static async Task<int> RunAsync(string[] given, string output, bool inPlace, Dictionary<string, string> parameters, bool stopOnError,
        TimeSpan? cellTimeout, bool keepDynamoDb)
    {
        var paths = given.Length == 0 ? ["notebooks"] : given.ToList();
        // Before starting anything: a wrong path or an unknown parameter is a quick error.
        var notebooks = NotebookRunner.Expand(paths);
        if (notebooks.Count == 0)
            throw new FileNotFoundException($"No NN-name.ipynb notebooks in {string.Join(", ", paths)}.");
        NotebookParameters.Plan(notebooks, parameters);

        return await WithDynamoDb.RunAsync(keepDynamoDb, (_, _) => RunNotebooksAsync(new RunOptions(paths, output, inPlace, parameters, stopOnError, cellTimeout)));
    }

    private static async Task<int> RunNotebooksAsync(RunOptions options)
    {
        var output = options.OutputDirectory;
        var console = Console.Out;
        var clock = Stopwatch.StartNew();
        var results = await NotebookRunner.RunAsync(options, new LineProgress(console));

        var report = Path.Combine(output, "report.html");
        HtmlReport.Write(results, report, await NodePackages.PlotlyScriptAsync());

        Console.WriteLine();
        Console.WriteLine($"{"Notebook",-42} {"Cells",7}  {"Status",-7} {"Seconds",7}");
        foreach (var result in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Notebook.Name,-42} {$"{result.CellsRun}/{result.CodeCells}",7}  {(result.Succeeded ? "ok" : "FAILED"),-7} {result.Elapsed.TotalSeconds,7:0.0}"));
        Console.WriteLine();
        foreach (var failure in results.Where(r => !r.Succeeded)) Console.WriteLine($"error: {failure.Error}");
        Console.WriteLine($"Executed notebooks: {(options.InPlace ? "written back in place" : Path.GetFullPath(output))}");
        Console.WriteLine($"Report: {Path.GetFullPath(report)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{results.Count(r => r.Succeeded)} of {results.Count} notebooks ran without error in {clock.Elapsed.TotalSeconds:0.0} s."));
        return results.All(r => r.Succeeded) ? 0 : 1;
    }

    private sealed class LineProgress(TextWriter console) : IProgress<string>
    {
        public void Report(string value) => console.WriteLine(value);
    }
}
