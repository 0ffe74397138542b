using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Tests;

/// <summary>
/// Debian's Jupyter stack, driven from the tests: nbclient executing notebooks under a kernelspec, nbformat validating
/// them. Called through /usr/bin/python3, which has those modules (the python3 first on PATH may not).
/// </summary>
public static class Jupyter
{
    /// <summary>Debian's interpreter, which has the Jupyter modules (a pyenv shim may come first on PATH); <c>MLM_JUPYTER_PYTHON</c> names another.</summary>
    public static string Python => Environment.GetEnvironmentVariable("MLM_JUPYTER_PYTHON") is { Length: > 0 } python ? python
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static string ScriptsFolder => Path.Combine(NodePackages.Folder(), "jupyter");

    public static string NotebooksFolder => Path.Combine(RepositoryRoot.Find(), "notebooks");

    /// <summary>Runs Python with arguments and extra environment; returns exit code, stdout and stderr. Past the timeout it is killed.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunPythonAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{string.Join(' ', start.ArgumentList)} did not finish within {timeout}:\n{await output}\n{await errors}");
        }
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>The modules each script of lib/jupyter imports.</summary>
    private static readonly Dictionary<string, string[]> ScriptModules = new()
    {
        ["execute_notebooks.py"] = ["nbclient", "nbformat", "jupyter_client", "zmq"],
        ["validate_notebooks.py"] = ["nbformat"],
        ["measure_kernel.py"] = ["jupyter_client", "zmq"],
    };

    /// <summary>Runs a script of lib/jupyter and returns its standard output; a non-zero exit fails the test with its output.</summary>
    public static async Task<string> RunScriptAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        Requires.Python(ScriptModules.GetValueOrDefault(script, ["nbformat"]));
        var (exitCode, output, errors) = await RunPythonAsync([Path.Combine(ScriptsFolder, script), .. arguments], environment, timeout);
        Assert.True(exitCode == 0, $"{script} failed ({exitCode}):\n{output}\n{errors}");
        return output;
    }

    /// <summary>Executes notebooks in order with nbclient under the named kernel, each in a fresh kernel; returns the executed notebooks.</summary>
    public static async Task<IReadOnlyList<JsonObject>> ExecuteAsync(string kernelName, string jupyterPath, string outputFolder, IReadOnlyList<string> notebooks, IReadOnlyDictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string>(environment) { ["JUPYTER_PATH"] = jupyterPath };
        await RunScriptAsync("execute_notebooks.py", new[] { kernelName, outputFolder }.Concat(notebooks), variables, TimeSpan.FromMinutes(20));
        return notebooks.Select(n => JsonNode.Parse(File.ReadAllText(Path.Combine(outputFolder, Path.GetFileName(n))))!.AsObject()).ToList();
    }

    public static IReadOnlyList<JsonObject> CodeCells(JsonObject notebook) =>
        notebook["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();

    public static IReadOnlyList<JsonObject> Outputs(JsonObject cell) => cell["outputs"]!.AsArray().Select(o => o!.AsObject()).ToList();

    /// <summary>A cell's source as one string.</summary>
    public static string Source(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        JsonNode text => text.GetValue<string>(),
        _ => "",
    };

    /// <summary>Text of a mime type, which nbformat may store as a list of lines.</summary>
    public static string? Text(JsonNode? value) => value switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        JsonValue text => text.GetValue<string>(),
        _ => null,
    };

    /// <summary>
    /// The kinds of a cell's outputs (a stream by its name), runs of one kind counted once: the real kernel shows a
    /// package cell's list with helper displays of its own, which are the same kind.
    /// </summary>
    public static string OutputKinds(JsonObject cell)
    {
        var kinds = new List<string>();
        foreach (var output in Outputs(cell))
        {
            var kind = output["output_type"]!.GetValue<string>();
            if (kind == "stream") kind += ":" + output["name"]!.GetValue<string>();
            if (kinds.Count == 0 || kinds[^1] != kind) kinds.Add(kind);
        }
        return string.Join(", ", kinds);
    }

    /// <summary>
    /// The cells whose kinds of output differ between the committed notebooks (the runner's outputs, which
    /// WorkbookNotebooksTests holds to a fresh run) and the same notebooks executed under a kernel.
    /// </summary>
    public static List<string> KindDifferences(string kernel, IReadOnlyList<string> notebooks, IReadOnlyList<JsonObject> executed)
    {
        var differences = new List<string>();
        foreach (var (path, notebook) in notebooks.Zip(executed))
        {
            var runner = CodeCells(JsonNode.Parse(File.ReadAllText(path))!.AsObject());
            var other = CodeCells(notebook);
            for (var i = 0; i < runner.Count; i++)
                if (OutputKinds(runner[i]) != OutputKinds(other[i]) && !ClearedByStudentEdition(runner[i]))
                    differences.Add($"{Path.GetFileName(path)}, code cell {i + 1}: runner [{OutputKinds(runner[i])}], {kernel} [{OutputKinds(other[i])}]");
        }
        return differences;
    }

    /// <summary>An answer or check cell whose outputs the student edition cleared: a run fills them, the committed copy has none.</summary>
    private static bool ClearedByStudentEdition(JsonObject cell) =>
        Outputs(cell).Count == 0 && cell["metadata"]?["tags"] is JsonArray tags && tags.Any(t => t?.GetValue<string>() is "solution" or "check");

    /// <summary>
    /// What a student would see go wrong in an executed notebook: error outputs, compiler warnings on a stream, and
    /// progress displays (<c>LiveDisplay.Show</c>) left on their first value.
    /// </summary>
    public static IEnumerable<string> Problems(string name, JsonObject notebook)
    {
        var cells = CodeCells(notebook);
        for (var i = 0; i < cells.Count; i++)
        {
            var where = $"{name}, code cell {i + 1}";
            foreach (var output in Outputs(cells[i]))
            {
                var kind = output["output_type"]!.GetValue<string>();
                if (kind == "error") yield return $"{where}: error {output["ename"]}: {output["evalue"]}";
                if (kind == "stream" && Text(output["text"]) is { } text && text.Contains("warning CS", StringComparison.Ordinal))
                    yield return $"{where}: compiler warning: {text.Trim()}";
            }
            var source = Source(cells[i]);
            var shown = source.IndexOf("LiveDisplay.Show(\"", StringComparison.Ordinal);
            if (shown < 0) continue;
            var first = source.Substring(shown + 18, source.IndexOf('"', shown + 18) - shown - 18);
            var displays = Outputs(cells[i]).Where(o => o["output_type"]!.GetValue<string>() == "display_data").ToList();
            if (displays.Count != 1) yield return $"{where}: the progress shows in {displays.Count} outputs instead of one";
            else if (Text(displays[0]["data"]!["text/plain"]) is var last && (last is null || last == first))
                yield return $"{where}: the progress display still shows \"{last}\"";
        }
    }
}
