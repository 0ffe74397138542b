using System.Diagnostics;
using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Cli;

/// <summary>The <c>run</c> verb: notebooks headless, executed copies and an offline HTML report.</summary>
internal static class RunVerb
{
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        var paths = new List<string>();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var output = "artifacts";
        var inPlace = false;
        var stopOnError = false;
        var keepDynamoDb = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--out":
                    output = i + 1 < arguments.Count ? arguments[++i] : throw new ArgumentException("--out needs a folder.");
                    break;
                case "--in-place":
                    inPlace = true;
                    break;
                case "--stop-on-error":
                    stopOnError = true;
                    break;
                case "--keep-dynamodb":
                    keepDynamoDb = true;
                    break;
                case "--set":
                    var assignment = i + 1 < arguments.Count ? arguments[++i] : throw new ArgumentException("--set needs NAME=VALUE.");
                    var equals = assignment.IndexOf('=');
                    if (equals < 1) throw new ArgumentException($"--set takes NAME=VALUE; got \"{assignment}\".");
                    if (!parameters.TryAdd(assignment.Substring(0, equals), assignment.Substring(equals + 1)))
                        throw new ArgumentException($"--set {assignment.Substring(0, equals)} is given twice; give each parameter once.");
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"Unknown option \"{option}\" for run.");
                default:
                    paths.Add(arguments[i]);
                    break;
            }
        }
        if (paths.Count == 0) paths.Add("notebooks");
        // Before starting anything: a wrong path or an unknown parameter is a quick error.
        var notebooks = NotebookRunner.Expand(paths);
        if (notebooks.Count == 0)
            throw new FileNotFoundException($"No NN-name.ipynb notebooks in {string.Join(", ", paths)}.");
        NotebookParameters.Plan(notebooks, parameters);

        return await WithDynamoDb.RunAsync(keepDynamoDb, _ => RunNotebooksAsync(paths, output, inPlace, parameters, stopOnError));
    }

    private static async Task<int> RunNotebooksAsync(List<string> paths, string output, bool inPlace, Dictionary<string, string> parameters, bool stopOnError)
    {
        var console = Console.Out;
        var clock = Stopwatch.StartNew();
        var results = await NotebookRunner.RunAsync(
            new RunOptions(paths, output, inPlace, parameters, stopOnError),
            new LineProgress(console));

        var report = Path.Combine(output, "report.html");
        HtmlReport.Write(results, report, await NodePackages.PlotlyScriptAsync());

        Console.WriteLine();
        Console.WriteLine($"{"Notebook",-42} {"Cells",7}  {"Status",-7} {"Seconds",7}");
        foreach (var result in results)
            Console.WriteLine($"{result.Notebook.Name,-42} {$"{result.CellsRun}/{result.CodeCells}",7}  {(result.Succeeded ? "ok" : "FAILED"),-7} {result.Elapsed.TotalSeconds,7:0.0}");
        Console.WriteLine();
        foreach (var failure in results.Where(r => !r.Succeeded)) Console.WriteLine($"error: {failure.Error}");
        Console.WriteLine($"Executed notebooks: {(inPlace ? "written back in place" : Path.GetFullPath(output))}");
        Console.WriteLine($"Report: {Path.GetFullPath(report)}");
        Console.WriteLine($"{results.Count(r => r.Succeeded)} of {results.Count} notebooks ran without error in {clock.Elapsed.TotalSeconds:0.0} s.");
        return results.All(r => r.Succeeded) ? 0 : 1;
    }

    private sealed class LineProgress(TextWriter console) : IProgress<string>
    {
        public void Report(string value) => console.WriteLine(value);
    }
}
