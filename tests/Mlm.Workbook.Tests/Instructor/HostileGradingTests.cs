using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Mlm.Workbook.Notebooks.Course;
using Mlm.Workbook.Tests.Kernel;

namespace Mlm.Workbook.Tests;

/// <summary>
/// <c>mlm grade</c> with hostile hand-ins among honest ones: one that repoints its DynamoDB, one that forges exercise
/// results from a background thread, one that deletes every table it can find, one that overwrites a classmate's
/// notebook, one that leaves processes behind to rewrite the CSV once grading is over. Each honest student is graded
/// exactly as when graded alone, the instructor's table survives, no process is left over, the CSV stays as grade wrote
/// it, and only the hostile hand-ins' rows fail.
/// </summary>
[Collection(nameof(NotebookRunnerCollection))]
public sealed class HostileGradingTests(LocalDynamoDb dynamo) : IDisposable
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly string _folder = Directory.CreateTempSubdirectory("hostile-grading-").FullName;
    private readonly string _marker = $"mlm-hostile-{Guid.NewGuid():N}";

    public void Dispose()
    {
        foreach (var process in Stray(_marker)) try { process.Kill(); } catch (InvalidOperationException) { }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Hostile_hand_ins_change_no_one_elses_grade_table_files_or_CSV()
    {
        Assert.SkipWhen(StudentEdition.IsStudentEdition(RepositoryRoot.Find()), "a student edition holds no solutions");
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the hostile hand-ins use POSIX shells");
        var instructor = await dynamo.NewTableAsync("instructor-own");
        var alice = HandIn("alice", Directory.GetFiles(Jupyter.NotebooksFolder, "*.ipynb"));
        var bob = HandIn("bob", Directory.GetFiles(Jupyter.NotebooksFolder, "0*.ipynb").Where(f => Path.GetFileName(f) is var n && (n.StartsWith("04-") || n.StartsWith("05-"))));
        var csv = Path.Combine(_folder, "grades.csv");

        var aliceAlone = Rows((await GradeAsync([alice], Path.Combine(_folder, "alice-alone.csv"))).Output);
        var bobAlone = Rows((await GradeAsync([bob], Path.Combine(_folder, "bob-alone.csv"))).Output);
        Assert.All(aliceAlone, r => Assert.True(r.Passed, $"{r.Id}: {r.Message}"));
        var handedIn = Fingerprint(alice) + Fingerprint(bob);

        var hostile = new[]
        {
            Hostile("env", """
                Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9");
                Environment.SetEnvironmentVariable("MLM_TABLE", "no-such-table");
                Environment.SetEnvironmentVariable("MLM_DYNAMODB", "aws");
                """),
            Hostile("formatter", """
                new System.Threading.Thread(() =>
                {
                    while (true)
                    {
                        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<ExerciseResult>(
                            r => "{\"id\": \"04-1\", \"passed\": false, \"status\": \"failed\", \"message\": \"forged by mallory\"}", ExerciseResult.MimeType);
                        System.Threading.Thread.Sleep(5);
                    }
                }) { IsBackground = true }.Start();
                """),
            Hostile("tables", $$"""
                var endpoints = new List<string> { "", "{{(NetworkNamespaces ? dynamo.Endpoint : "")}}" };
                foreach (var environ in System.IO.Directory.GetDirectories("/proc").Select(d => d + "/environ"))
                {
                    try
                    {
                        foreach (var v in System.IO.File.ReadAllText(environ).Split('\0'))
                            if (v.StartsWith("AWS_ENDPOINT_URL_DYNAMODB=")) endpoints.Add(v.Substring(26));
                    }
                    catch (Exception) { }
                }
                foreach (var endpoint in endpoints.Distinct())
                {
                    try
                    {
                        var client = endpoint == "" ? store.Client : Connection.ForLocalEndpoint(endpoint);
                        foreach (var table in (await client.ListTablesAsync()).TableNames) await client.DeleteTableAsync(table);
                    }
                    catch (Exception) { }
                }
                """),
            Hostile("overwrite", $$"""
                var targets = new List<string> { @"{{alice}}", @"{{bob}}" };
                foreach (var cmdline in System.IO.Directory.GetDirectories("/proc").Select(d => d + "/cmdline"))
                {
                    try { targets.AddRange(System.IO.File.ReadAllText(cmdline).Split('\0').Where(System.IO.Directory.Exists)); } catch (Exception) { }
                }
                foreach (var folder in targets.Distinct())
                {
                    try
                    {
                        foreach (var notebook in System.IO.Directory.GetFiles(folder, "*.ipynb")) System.IO.File.WriteAllText(notebook, "overwritten by mallory");
                    }
                    catch (Exception) { }
                }
                """),
            Hostile("outlive", $$"""
                System.Diagnostics.Process.Start("/usr/bin/setsid", new[] { "/bin/sh", "-c", "sleep 8; echo forged > '{{csv}}'; sleep 600; true", "{{_marker}}" });
                System.Diagnostics.Process.Start("/bin/sh", new[] { "-c", "(sleep 9; echo forged >> '{{csv}}'; sleep 600; true) & true", "{{_marker}}" });
                System.Diagnostics.Process.Start("/bin/sh", new[] { "-c", "sleep 600; true", "{{_marker}}" });
                """),
            Hostile("result", $$"""
                System.IO.File.WriteAllText(System.IO.Path.Combine(Environment.GetEnvironmentVariable("HOME"), "grade-result.json"), "{\"folder\": \"{{alice}}\", \"rows\": [{\"folder\": \"{{alice}}\", \"id\": \"99-9\", \"notebook\": \"x\", \"passed\": true, \"status\": \"passed\", \"message\": \"forged\"}]}");
                Environment.Exit(0);
                """),
        };

        var folders = new[] { hostile[0], alice, hostile[1], hostile[2], bob, hostile[3], hostile[4], hostile[5] };
        var (exitCode, output) = await GradeAsync(folders, csv);

        Assert.Equal(0, exitCode);
        var rows = Rows(output);
        Assert.Equal(Expected(aliceAlone), Expected(rows.Where(r => r.Folder == alice)));
        Assert.Equal(Expected(bobAlone), Expected(rows.Where(r => r.Folder == bob)));
        Assert.All(rows.Where(r => !r.Passed), r => Assert.True(hostile.Contains(r.Folder) || r.Folder == bob, $"{r.Folder} {r.Id}: {r.Message}"));
        Assert.DoesNotContain(rows, r => r.Message.Contains("forged", StringComparison.Ordinal) && !hostile.Contains(r.Folder));
        Assert.Equal(handedIn, Fingerprint(alice) + Fingerprint(bob));
        // The attacks did run, on their own hand-in: a forged message, its own table gone. (The repointed endpoint
        // would only have met the connections made after it: in one process, the next hand-in's.)
        Assert.Equal("forged by mallory", rows.Single(r => r.Folder == hostile[1] && r.Id == "04-1").Message);
        Assert.False(rows.Single(r => r.Folder == hostile[2] && r.Id == "04-1").Passed);
        Assert.All(rows.Where(r => r.Folder == hostile[5]), r => Assert.StartsWith("grading this folder failed: its result names an exercise the course does not have", r.Message));

        await dynamo.Client().DescribeTableAsync(new DescribeTableRequest { TableName = instructor.TableName }, Cancel); // still there

        var written = File.ReadAllText(csv);
        Assert.Contains("alice", written);
        await Task.Delay(TimeSpan.FromSeconds(12), Cancel); // past the hostile processes' sleeps
        Assert.Equal(written, File.ReadAllText(csv));
        Assert.Empty(Stray(_marker));
        Assert.Empty(Stray("grade-one"));
    }

    [Fact]
    public async Task Ctrl_C_kills_the_grading_processes_removes_the_stages_and_writes_no_grades()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX signals");
        var slow = Hostile("slow", $$"""
            System.Diagnostics.Process.Start("/usr/bin/setsid", new[] { "/bin/sh", "-c", "sleep 600; true", "{{_marker}}" });
            System.Threading.Thread.Sleep(60_000);
            """);
        var csv = Path.Combine(_folder, "interrupted.csv");
        var stagesBefore = Stages();
        using var grade = Process.Start(Start([slow, "--csv", csv, "--cell-timeout", "120"]))!;
        var errors = new System.Text.StringBuilder();
        var graded = new TaskCompletionSource();
        grade.ErrorDataReceived += (_, e) =>
        {
            lock (errors) errors.AppendLine(e.Data);
            if (e.Data?.StartsWith("Grading ", StringComparison.Ordinal) == true) graded.TrySetResult();
        };
        grade.BeginErrorReadLine();
        var output = grade.StandardOutput.ReadToEndAsync(Cancel);
        await graded.Task.WaitAsync(TimeSpan.FromSeconds(60), Cancel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Stray(_marker).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(200, Cancel); // the hand-in's code runs

        Signals.Send(grade.Id, Signals.SigInt);
        await grade.WaitForExitAsync(Cancel);
        await output;

        Assert.Equal(130, grade.ExitCode);
        lock (errors) Assert.Contains("Interrupted (SIGINT): stopped 1 grading process and removed the stages", errors.ToString());
        Assert.False(File.Exists(csv));
        Assert.Empty(Stray(_marker));
        Assert.Empty(Stray("grade-one"));
        Assert.Equal(stagesBefore, Stages());
    }

    private static ProcessStartInfo Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(KernelProcess.Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("grade");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    private async Task<(int ExitCode, string Output)> GradeAsync(IReadOnlyList<string> folders, string csv)
    {
        var start = Start([.. folders, "--csv", csv, "--jobs", "2", "--cell-timeout", "60"]);
        // The instructor's own DynamoDB, with the instructor's table: grading uses one of its own.
        start.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.Endpoint;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        var text = await output;
        Assert.True(text.TrimEnd().EndsWith('}'), $"grade printed no JSON line (exit code {process.ExitCode}):\n{text}\n{await errors}");
        return (process.ExitCode, text);
    }

    private string HandIn(string student, IEnumerable<string> notebooks)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder, student, "notebooks")).FullName;
        foreach (var notebook in notebooks) File.Copy(notebook, Path.Combine(folder, Path.GetFileName(notebook)));
        return folder;
    }

    /// <summary>A hand-in of notebook 04 with a cell of hostile code before the answer cell of exercise 04-1.</summary>
    private string Hostile(string name, string code)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(Path.Combine(Jupyter.NotebooksFolder, "04-list-downline.ipynb")))!.AsObject();
        var cells = notebook["cells"]!.AsArray();
        var answer = cells.Select((c, i) => (c, i)).Single(x => x.c!["id"]?.GetValue<string>() == "ex-04-1-solution").i;
        cells.Insert(answer, new JsonObject
        {
            ["cell_type"] = "code",
            ["id"] = "hostile",
            ["metadata"] = new JsonObject(),
            ["execution_count"] = null,
            ["outputs"] = new JsonArray(),
            ["source"] = code,
        });
        var folder = Directory.CreateDirectory(Path.Combine(_folder, $"mallory-{name}", "notebooks")).FullName;
        File.WriteAllText(Path.Combine(folder, "04-list-downline.ipynb"), notebook.ToJsonString());
        return folder;
    }

    private sealed record Row(string Folder, string Id, bool Passed, string Status, string Message);

    private static List<Row> Rows(string output)
    {
        var json = JsonNode.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last())!;
        return json["results"]!.AsArray().Select(r => new Row(r!["folder"]!.GetValue<string>(), r["id"]!.GetValue<string>(),
            r["passed"]!.GetValue<bool>(), r["status"]!.GetValue<string>(), r["message"]!.GetValue<string>())).ToList();
    }

    private static List<string> Expected(IEnumerable<Row> rows) => rows.Select(r => $"{r.Id} {r.Passed} {r.Status} {r.Message}").ToList();

    private static string Fingerprint(string folder) => string.Join("\n", Directory.GetFiles(folder).Order()
        .Select(f => $"{Path.GetFileName(f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));

    /// <summary>Processes whose command line holds a text.</summary>
    private static List<Process> Stray(string text)
    {
        var found = new List<Process>();
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ').Contains(text, StringComparison.Ordinal))
                    found.Add(Process.GetProcessById(pid));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { }
        }
        return found;
    }

    /// <summary>Whether grading can close the network here (then a hand-in cannot reach the instructor's DynamoDB even knowing its port).</summary>
    private static bool NetworkNamespaces
    {
        get
        {
            if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/unshare")) return false;
            using var probe = Process.Start(new ProcessStartInfo("/usr/bin/unshare", ["--user", "--map-root-user", "--pid", "--fork", "--mount-proc", "--net", "true"])
            {
                RedirectStandardError = true, UseShellExecute = false,
            })!;
            probe.WaitForExit();
            return probe.ExitCode == 0;
        }
    }

    private static string[] Stages() =>
        Directory.GetDirectories(Path.GetTempPath(), "mlm-grading-*").Order().ToArray();
}
