using Mlm.Workbook.Kernel;

namespace Mlm.Workbook.Tests;

/// <summary>
/// The workbook in Microsoft's final .NET Interactive kernel (1.0.712001), the reference the runner and the
/// workbook's own kernel must match: installed as a .NET tool, run by Debian's nbclient as any Jupyter client would.
/// </summary>
public sealed class ReferenceKernelTests(LocalDynamoDb dynamo) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reference-kernel-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_notebooks_run_in_the_final_dotnet_interactive_kernel_without_errors_warnings_or_stale_progress_and_as_in_the_runner()
    {
        Requires.Python("nbclient", "nbformat", "jupyter_client", "zmq");
        // A failed install throws, loudly: the test never passes without the reference.
        var tool = await ReferenceKernel.InstallAsync(Path.Combine(_folder, "tool"), TestContext.Current.CancellationToken);
        KernelSpec.WriteOther(_folder, ".net-csharp", ReferenceKernel.Argv(tool), ".NET (C#)", "C#");
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
        var differences = Jupyter.KindDifferences("dotnet-interactive", notebooks, executed);
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }
}
