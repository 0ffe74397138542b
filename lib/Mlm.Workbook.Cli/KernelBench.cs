using System.Globalization;
using System.Text.Json.Nodes;
using Mlm.Workbook;
using Mlm.Workbook.Kernel;

namespace Mlm.Workbook.Cli;

/// <summary>
/// <c>bench kernel</c>: the workbook's kernel against the kernel it replaces (the final dotnet-interactive, installed as a
/// .NET tool) and against Debian's ipykernel, all three driven through jupyter_client in one run: cold start to the
/// first result, a trivial cell's round trip, a completion's round trip, and the whole workbook through nbclient.
/// The targets are ratios to dotnet-interactive, so a noisy machine weighs on both sides alike.
/// </summary>
internal static class KernelBench
{
    private const string Python = "/usr/bin/python3";

    private sealed record Target(string Measure, string Key, double Ratio, string Comparison);

    private static readonly Target[] Targets =
    [
        new("Cold start to the first result (s)", "cold_start_s", 0.7, "<="),
        new("Trivial cell p50 (ms)", "cell_p50_ms", 0.7, "<="),
        new("Trivial cell p95 (ms)", "cell_p95_ms", 0, ""),
        new("Completion p50 (ms)", "completion_p50_ms", 1.0, "<="),
        new("Whole workbook through nbclient (s)", "workbook_s", 0.5, "<="),
    ];

    public static async Task<int> RunAsync(int rounds, bool workbook)
    {
        if (!File.Exists(Python)) throw new InvalidOperationException($"{Python} is missing: install Debian's python3-jupyter-client, python3-nbclient and python3-ipykernel.");
        var folder = Directory.CreateTempSubdirectory("kernel-bench-").FullName;
        try
        {
            Console.WriteLine("Installing the kernels into a scratch Jupyter folder …");
            var outcome = KernelSpec.Install(folder, await KernelPrecompile.LauncherAsync(Console.Out), force: true);
            if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Message);
            var reference = await ReferenceKernel.InstallAsync(Path.Combine(folder, "tool"));
            KernelSpec.WriteOther(folder, "dotnet-interactive", ReferenceKernel.Argv(reference), "dotnet-interactive", "C#");
            KernelSpec.WriteOther(folder, "ipykernel", [Python, "-m", "ipykernel_launcher", "-f", "{connection_file}"], "ipykernel", "python");
            var environment = new Dictionary<string, string> { ["JUPYTER_PATH"] = folder, ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1" };

            var figures = new Dictionary<string, JsonObject>();
            foreach (var (kernel, completion) in new[] { (KernelSpec.Name, "Console.Wri"), ("dotnet-interactive", "Console.Wri"), ("ipykernel", "pri") })
            {
                Console.WriteLine($"Measuring {kernel} …");
                var output = await RunPythonAsync("measure_kernel.py", [kernel, "1 + 1", completion, rounds.ToString(CultureInfo.InvariantCulture)], environment);
                figures[kernel] = JsonNode.Parse(output.Trim().Split('\n')[^1])!.AsObject();
            }
            if (workbook) await MeasureWorkbookAsync(folder, environment, figures);

            Print(figures);
            return 0;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task MeasureWorkbookAsync(string folder, Dictionary<string, string> environment, Dictionary<string, JsonObject> figures)
    {
        var notebooks = Directory.GetFiles(Path.Combine(RepositoryRoot.Find(), "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList();
        foreach (var kernel in new[] { KernelSpec.Name, "dotnet-interactive" })
        {
            // A DynamoDB Local of its own for each kernel: both start on a cold JVM, so neither gains from the other's run.
            await using var dynamo = await DynamoDbLocal.StartInMemoryAsync();
            Console.WriteLine($"Running the {notebooks.Count} notebooks under {kernel} …");
            var run = new Dictionary<string, string>(environment)
            {
                ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.Endpoint,
                ["MLM_TABLE"] = $"bench-{kernel.Trim('.')}",
            };
            var output = await RunPythonAsync("execute_notebooks.py", [kernel, Path.Combine(folder, "out-" + kernel.Trim('.')), .. notebooks], run);
            figures[kernel]["workbook_s"] = JsonNode.Parse(output.Trim().Split('\n')[^1])!["seconds"]!.GetValue<double>();
        }
    }

    private static void Print(Dictionary<string, JsonObject> figures)
    {
        var ours = figures[KernelSpec.Name];
        var reference = figures["dotnet-interactive"];
        var anchor = figures["ipykernel"];
        Console.WriteLine();
        Console.WriteLine($"{"Measure",-38} {"ours",10} {"dotnet-interactive",19} {"ipykernel",10} {"ratio",7}  target");
        var ratios = new JsonObject();
        var met = true;
        foreach (var target in Targets)
        {
            if (ours[target.Key] is null || reference[target.Key] is null) continue;
            var mine = ours[target.Key]!.GetValue<double>();
            var theirs = reference[target.Key]!.GetValue<double>();
            var ratio = theirs == 0 ? double.NaN : mine / theirs;
            ratios[target.Key] = Math.Round(ratio, 3);
            var ok = target.Ratio == 0 || ratio <= target.Ratio;
            met &= ok;
            var python = anchor[target.Key]?.GetValue<double>() is { } p ? p.ToString("0.###", CultureInfo.InvariantCulture) : "–";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target.Measure,-38} {mine,10:0.###} {theirs,19:0.###} {python,10} {ratio,7:0.00}  ") +
                              (target.Ratio == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{target.Comparison} {target.Ratio:0.0#} {(ok ? "met" : "MISSED")}")));
        }
        var summary = new JsonObject
        {
            ["ours"] = ours.DeepClone(), ["dotnet_interactive"] = reference.DeepClone(), ["ipykernel"] = anchor.DeepClone(),
            ["ratios"] = ratios, ["targets_met"] = met,
        };
        Console.WriteLine();
        Console.WriteLine(summary.ToJsonString());
    }

    /// <summary>Runs a script of lib/jupyter and returns its standard output, whose last line is its JSON result.</summary>
    private static async Task<string> RunPythonAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var run = await ExternalProgram.RunAsync(Python, [Path.Combine(NodePackages.Folder(), "jupyter", script), .. arguments], environment: environment);
        if (run is not { ExitCode: 0 }) throw new InvalidOperationException($"{script} failed:\n{run?.AllOutput ?? $"{Python} could not be started."}");
        return run.Output;
    }
}
