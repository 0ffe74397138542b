using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Tests;

/// <summary>
/// The workbook in Microsoft's final .NET Interactive kernel (1.0.712001), the reference the runner and the
/// workbook's own kernel must match: installed as a .NET tool, run by Debian's nbclient as any Jupyter client would.
/// </summary>
public sealed class ReferenceKernelTests(LocalDynamoDb dynamo) : IDisposable
{
    public const string Version = "1.0.712001";
    private readonly string _folder = Directory.CreateTempSubdirectory("reference-kernel-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_notebooks_run_in_the_final_dotnet_interactive_kernel_without_errors_warnings_or_stale_progress_and_as_in_the_runner()
    {
        var tool = await InstallAsync(Path.Combine(_folder, "tool"));
        Jupyter.WriteKernelSpec(_folder, ".net-csharp", [tool, "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000"]);
        var notebooks = Directory.GetFiles(Jupyter.NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal).ToList();

        var executed = await Jupyter.ExecuteAsync(".net-csharp", _folder, Path.Combine(_folder, "out"), notebooks, new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.Endpoint,
            ["MLM_TABLE"] = LocalDynamoDb.UniqueTableName("reference"),
            ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",
        });

        Assert.Equal(notebooks.Count, executed.Count);
        var problems = notebooks.Zip(executed).SelectMany(pair => Jupyter.Problems(Path.GetFileName(pair.First), pair.Second)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // Cell by cell, the same kinds of output as the runner gives: the committed outputs are the runner's
        // (WorkbookNotebooksTests holds them to a fresh run).
        var differences = new List<string>();
        foreach (var (path, reference) in notebooks.Zip(executed))
        {
            var ours = Jupyter.CodeCells(JsonNode.Parse(File.ReadAllText(path))!.AsObject());
            var theirs = Jupyter.CodeCells(reference);
            for (var i = 0; i < ours.Count; i++)
                if (Jupyter.OutputKinds(ours[i]) != Jupyter.OutputKinds(theirs[i]) && !ClearedByStudentEdition(ours[i]))
                    differences.Add($"{Path.GetFileName(path)}, code cell {i + 1}: runner [{Jupyter.OutputKinds(ours[i])}], kernel [{Jupyter.OutputKinds(theirs[i])}]");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    /// <summary>An answer or check cell whose outputs a student edition cleared.</summary>
    private static bool ClearedByStudentEdition(JsonObject cell) =>
        Jupyter.Outputs(cell).Count == 0 && cell["metadata"]?["tags"] is JsonArray tags && tags.Any(t => t?.GetValue<string>() is "solution" or "check");

    /// <summary>Installs the reference kernel as a .NET tool; a failure fails the test loudly, it never passes silently.</summary>
    public static async Task<string> InstallAsync(string folder)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "tool", "install", "--tool-path", folder, "Microsoft.dotnet-interactive", "--version", Version }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var tool = Path.Combine(folder, OperatingSystem.IsWindows() ? "dotnet-interactive.exe" : "dotnet-interactive");
        Assert.True(process.ExitCode == 0 && File.Exists(tool),
            $"THE REFERENCE KERNEL COULD NOT BE INSTALLED: `dotnet tool install Microsoft.dotnet-interactive --version {Version}` failed, " +
            $"so the notebooks were not checked against it.\n{await output}\n{await errors}");
        return tool;
    }
}
