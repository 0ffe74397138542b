using System.Diagnostics;
using System.Text;
using Mlm.Workbook.Tests.Kernel;

namespace Mlm.Workbook.Tests;

/// <summary>The command-line tool as a user runs it: help for every verb, errors before anything starts, and Ctrl-C.</summary>
[Collection(nameof(NotebookRunnerCollection))]
public class CliTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static ProcessStartInfo Start(IEnumerable<string> arguments, int port, string table)
    {
        var start = new ProcessStartInfo(KernelProcess.Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in new[] { "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL", "MLM_DYNAMODB" }) start.Environment.Remove(name);
        start.Environment["MLM_DYNAMODB_PORT"] = port.ToString();
        start.Environment["MLM_TABLE"] = table;
        return start;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        using var process = Process.Start(Start(arguments, DynamoDbLocal.FreePort(), "cli-unused"))!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        return (process.ExitCode, await output + await errors);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("seed")]
    [InlineData("bench")]
    [InlineData("bench kernel")]
    [InlineData("bench grade")]
    [InlineData("kernel")]
    [InlineData("kernel install")]
    [InlineData("kernel uninstall")]
    [InlineData("kernel start")]
    [InlineData("dynamodb")]
    [InlineData("dynamodb start")]
    [InlineData("dynamodb stop")]
    [InlineData("dynamodb status")]
    [InlineData("assign")]
    [InlineData("grade")]
    [InlineData("query")]
    public async Task Every_verb_answers_help_with_every_option_described(string verb)
    {
        var (exitCode, output) = await RunAsync([.. verb.Split(' '), "--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains($"mlm {verb}", output);
        Assert.DoesNotContain("Unknown option", output);
        var optionLines = output.Split('\n').SkipWhile(l => !l.StartsWith("Options:")).Skip(1).TakeWhile(l => l.StartsWith("  "));
        Assert.All(optionLines, line => Assert.Matches(@"^  \S.*?\S {2,}\S", line)); // a name, then a description
    }

    [Theory]
    [InlineData("seed --users 5 --users 6", "expects a single argument")]
    [InlineData("seed --keep-dynamodb --keep-dynamodb", "--keep-dynamodb is given 2 times")]
    [InlineData("seed --users 2147483647", "--users must be from 0 to 10,000,000")]
    [InlineData("seed --users 0", "Sales need at least one member")]
    [InlineData("run --set a=1 --set a=2", "--set a is given twice")]
    [InlineData("seed --bogus", "Unrecognized command or argument '--bogus'")]
    [InlineData("seed --profile realistic --sales 5", "--sales does not apply to --profile realistic")]
    [InlineData("seed --months 3", "--months applies to --profile realistic only")]
    [InlineData("grade /no/such/folder/to/grade", "No folder at /no/such/folder/to/grade")]
    [InlineData("bench kernel --rounds 0", "--rounds must be from 1")]
    [InlineData("grade /no/such/folder --jobs 0", "--jobs must be from 1 to 64; got 0")]
    [InlineData("grade /no/such/folder --dynamodb shared", "--dynamodb takes one of private, configured; got \"shared\"")]
    [InlineData("run --cell-timeout 0", "--cell-timeout must be from 1 to 86,400; got 0")]
    [InlineData("kernel start /no/such/connection.json", "No connection file at /no/such/connection.json")]
    public async Task Bad_options_are_refused_before_anything_starts(string arguments, string expected)
    {
        var (exitCode, output) = await RunAsync(arguments.Split(' '));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(expected, output);
        Assert.DoesNotContain("DynamoDB Local started", output);
    }

    [Fact]
    public async Task An_out_that_names_a_file_is_refused_before_running()
    {
        var file = Path.GetTempFileName();
        try
        {
            var (exitCode, output) = await RunAsync("run", "--out", file);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("names a file", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Run_with_a_cell_timeout_stops_a_cell_that_never_ends_and_goes_on_with_the_next_notebook()
    {
        var port = DynamoDbLocal.FreePort();
        var dataDirectory = DynamoDbLocal.DataDirectory(port);
        using var files = new NotebookFiles();
        files.Write("01-waits.ipynb", NotebookFiles.Code("Console.WriteLine(\"waiting\");\nawait Task.Delay(-1);"), NotebookFiles.Code("Console.WriteLine(\"not reached\");"));
        files.Write("02-next.ipynb", NotebookFiles.Code("Console.WriteLine(\"the next notebook ran\");"));
        var output = Path.Combine(files.Folder, "out");
        try
        {
            using var run = Process.Start(Start(["run", files.Folder, "--out", output, "--cell-timeout", "8"], port, "cli-timeout"))!; // long enough to compile a cell on a busy machine
            var text = run.StandardOutput.ReadToEndAsync(Cancel);
            var errors = run.StandardError.ReadToEndAsync(Cancel);
            await run.WaitForExitAsync(Cancel).WaitAsync(TimeSpan.FromSeconds(180), Cancel);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("1 of 2 notebooks ran without error", await text + await errors);
            var waited = File.ReadAllText(Path.Combine(output, "01-waits.ipynb"));
            Assert.Contains("time limit of 8 s", waited);
            Assert.DoesNotContain("not reached\\n", waited); // the source is there, its output is not
            Assert.Contains("the next notebook ran", File.ReadAllText(Path.Combine(output, "02-next.ipynb")));
        }
        finally
        {
            await DynamoDbLocal.StopAsync(port, cancellationToken: CancellationToken.None);
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Ctrl_C_during_seed_stops_the_instance_it_started_says_so_and_exits_130()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "POSIX signals.");
        var port = DynamoDbLocal.FreePort();
        var dataDirectory = DynamoDbLocal.DataDirectory(port);
        var output = new StringBuilder();
        var writing = new TaskCompletionSource();
        try
        {
            using var seed = Process.Start(Start(["seed", "--users", "2000000", "--sales", "0"], port, "cli-interrupted"))!;
            seed.OutputDataReceived += (_, e) =>
            {
                lock (output) output.AppendLine(e.Data);
                if (e.Data?.Contains("Created table") == true) writing.TrySetResult();
            };
            seed.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            seed.BeginOutputReadLine();
            seed.BeginErrorReadLine();
            await writing.Task.WaitAsync(TimeSpan.FromSeconds(120), Cancel);
            Assert.Equal(PortState.DynamoDb, await DynamoDbLocal.ProbeAsync(port, Cancel));

            Signals.Send(seed.Id, Signals.SigInt);
            await seed.WaitForExitAsync(Cancel).WaitAsync(TimeSpan.FromSeconds(30), Cancel);

            Assert.Equal(130, seed.ExitCode);
            string text;
            lock (output) text = output.ToString();
            var interrupted = Assert.Single(text.Split('\n'), l => l.StartsWith("Interrupted (SIGINT)"));
            Assert.Contains($"stopped the DynamoDB Local on port {port}, which this command started", interrupted);
            Assert.DoesNotContain("Stopped DynamoDB Local", text); // one line, not two
            Assert.Equal(PortState.Free, await DynamoDbLocal.ProbeAsync(port, Cancel));
        }
        finally
        {
            await DynamoDbLocal.StopAsync(port, cancellationToken: CancellationToken.None);
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Ctrl_C_while_a_cell_runs_still_says_Interrupted_on_the_terminal()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "POSIX signals.");
        var port = DynamoDbLocal.FreePort();
        var dataDirectory = DynamoDbLocal.DataDirectory(port);
        var folder = Directory.CreateTempSubdirectory("cli-interrupt-cell-").FullName;
        var output = new StringBuilder();
        var running = new TaskCompletionSource();
        try
        {
            var notebook = Path.Combine(folder, "01-waits.ipynb");
            using (var files = new NotebookFiles()) File.Copy(files.Write("01-waits.ipynb", NotebookFiles.Code("await Task.Delay(120_000);")), notebook);
            using var run = Process.Start(Start(["run", notebook, "--out", Path.Combine(folder, "out")], port, "cli-interrupt-cell"))!;
            run.OutputDataReceived += (_, e) =>
            {
                lock (output) output.AppendLine(e.Data);
                if (e.Data?.Contains("cell 1 (code cell 1 of 1)") == true) running.TrySetResult();
            };
            run.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            run.BeginOutputReadLine();
            run.BeginErrorReadLine();
            await running.Task.WaitAsync(TimeSpan.FromSeconds(120), Cancel);
            await Task.Delay(500, Cancel); // the cell's console redirection is in place

            Signals.Send(run.Id, Signals.SigInt);
            await run.WaitForExitAsync(Cancel).WaitAsync(TimeSpan.FromSeconds(30), Cancel);

            Assert.Equal(130, run.ExitCode);
            string text;
            lock (output) text = output.ToString();
            Assert.Single(text.Split('\n'), l => l.StartsWith("Interrupted (SIGINT)"));
        }
        finally
        {
            await DynamoDbLocal.StopAsync(port, cancellationToken: CancellationToken.None);
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
            Directory.Delete(folder, recursive: true);
        }
    }
}
