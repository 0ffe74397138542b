using System.CommandLine;
using System.Text.Json.Nodes;
using Mlm.Workbook.Notebooks.Course;

namespace Mlm.Workbook.Cli;

/// <summary>
/// The hidden <c>grade-one</c> verb: what <c>grade</c> starts once per hand-in, in the hand-in's stage. It takes no
/// path: the stage is its working directory, the job file there says how long a cell may run, and the environment
/// names its DynamoDB endpoint, access key and table. It leaves its rows in the stage's result file and exits.
/// </summary>
internal static class GradeOneVerb
{
    public const string Name = "grade-one";

    /// <summary>What the grader asks, written into the stage before the process starts.</summary>
    public const string JobFile = "grade-job.json";

    /// <summary>The rows, for the grader to read when the process and everything it started have ended.</summary>
    public const string ResultFile = "grade-result.json";

    public static Command Command()
    {
        var command = new Command(Name, "Used by grade: grade the hand-in staged in the current folder.") { Hidden = true };
        command.SetAction((_, cancellationToken) => RunAsync(cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var stage = Directory.GetCurrentDirectory();
        var job = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(stage, JobFile), cancellationToken).ConfigureAwait(false))!;
        var cellTimeout = TimeSpan.FromSeconds(job["cellTimeoutSeconds"]!.GetValue<int>());
        if (Environment.GetEnvironmentVariable(SocketRelay.Variable) is { Length: > 0 } socket)
        {
            // No network here but the loopback: DynamoDB is behind the stage's socket.
            var port = SocketRelay.ServeLoopback(Path.GetFullPath(socket), CancellationToken.None);
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", $"http://127.0.0.1:{port}");
            Environment.SetEnvironmentVariable(SocketRelay.Variable, null);
        }
        var settings = ConnectionSettings.FromEnvironment();
        var progress = new Lines(Console.Error); // the real stderr: while a cell runs, Console is the cell's
        using (var client = await Connection.ConnectAsync(settings, cancellationToken).ConfigureAwait(false))
        {
            var rows = await Grader.GradeStageAsync(client, stage, settings.TableName, new GradeOptions(cellTimeout),
                Path.Combine(stage, "executed"), progress, cancellationToken).ConfigureAwait(false);
            AtomicFile.WriteAllText(Path.Combine(stage, ResultFile), HandInResult.Serialize(rows));
        }
        // A thread a hand-in left running must not keep this process alive; the grader ends whatever it started.
        Environment.Exit(0);
        return 0;
    }

    private sealed class Lines(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
