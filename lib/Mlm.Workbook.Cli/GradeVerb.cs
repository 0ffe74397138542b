using System.CommandLine;
using Mlm.Workbook.Notebooks.Course;

namespace Mlm.Workbook.Cli;

/// <summary>Which DynamoDB <c>grade</c> grades against.</summary>
internal enum GradeDynamoDb
{
    /// <summary>A DynamoDB Local of grading's own, in memory, with a database per hand-in (the default).</summary>
    Private,
    /// <summary>The configured DynamoDB (environment variables), as <c>run</c> and <c>seed</c> use it.</summary>
    Configured,
}

/// <summary>
/// The <c>grade</c> verb: grades folders of notebooks, each hand-in in a process of its own (<see cref="IsolatedGrading"/>),
/// and reports each exercise's check.
/// </summary>
internal static class GradeVerb
{
    public static Command Command()
    {
        var folders = new Argument<string[]>("FOLDER")
        {
            Description = "Folders of notebooks to grade (a student's edition's notebooks, or a hand-in), each in a process and on a table of its own",
            Arity = ArgumentArity.OneOrMore,
        };
        var timeout = CliOptions.Number("--cell-timeout", "Seconds one cell may run before it is stopped",
            (int)GradeOptions.DefaultCellTimeout.TotalSeconds, 1, 86_400);
        var jobs = CliOptions.Number("--jobs", "Hand-ins graded at once", DefaultJobs, 1, 64);
        var dynamoDb = CliOptions.Choice("--dynamodb",
            "private: a DynamoDB Local of grading's own, in memory, a database per hand-in; configured: the configured DynamoDB (shared by all hand-ins)",
            GradeDynamoDb.Private);
        var csv = new Option<string>("--csv") { Description = "Also write the rows to this CSV file", HelpName = "FILE" };
        var executed = new Option<string>("--out") { Description = "Keep the executed notebooks here, one folder per graded folder, named after its path (01-alice-notebooks)", HelpName = "DIR" };
        var keep = CliOptions.KeepDynamoDb();
        var command = new Command("grade",
            "Run each folder's exercise notebooks, each folder in a process of its own (grading runs the students' code), and print one row per " +
            "folder and exercise, then one JSON line; exit 0 whenever grading ran, whatever the score.")
        {
            folders, timeout, jobs, dynamoDb, csv, executed, keep,
        };
        command.SetAction((result, _) => RunAsync(result.GetValue(folders) ?? [], TimeSpan.FromSeconds(result.GetValue(timeout)), result.GetValue(jobs),
            result.GetValue(dynamoDb) ?? GradeDynamoDb.Private, result.GetValue(csv), result.GetValue(executed), result.GetValue(keep)));
        return command;
    }

    /// <summary>Two at most: each grading process compiles and runs notebooks on a core of its own.</summary>
    public static int DefaultJobs => Math.Clamp(Environment.ProcessorCount, 1, 2);

    public static async Task<int> RunAsync(IReadOnlyList<string> folders, TimeSpan cellTimeout, int jobs, GradeDynamoDb dynamoDb,
        string? csv, string? executed, bool keepDynamoDb)
    {
        var plan = Grader.Plan(folders); // before starting anything: a wrong folder is a quick error
        var settings = dynamoDb == GradeDynamoDb.Configured ? ConnectionSettings.FromEnvironment() : null;
        IReadOnlyList<GradeRow> rows = [];
        var progress = new Progress(Console.Error);
        OwnedDynamoDbLocal? owned = null;
        DynamoDbLocalInstance? started = null;
        IsolatedGrading? grading = null;
        var code = await Interruption.RunAsync(async cancellationToken =>
        {
            try
            {
                var environment = new Dictionary<string, string>(StringComparer.Ordinal);
                if (settings is null)
                {
                    owned = await DynamoDbLocal.StartInMemoryAsync(separateDatabasePerAccessKey: true, cancellationToken).ConfigureAwait(false);
                    Console.Error.WriteLine($"DynamoDB Local for grading started at {owned.Endpoint} (in memory, a database per hand-in).");
                    environment["AWS_ENDPOINT_URL_DYNAMODB"] = owned.Endpoint;
                }
                else
                {
                    started = await ConfiguredAsync(settings, environment).ConfigureAwait(false);
                }
                grading = new IsolatedGrading(new IsolationOptions(cellTimeout, jobs, executed, environment,
                    csv is null ? [] : [Path.GetDirectoryName(Path.GetFullPath(csv))!]), progress);
                rows = await grading.GradeAsync(plan, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            finally
            {
                if (!cancellationToken.IsCancellationRequested) await StopAsync(owned, started, keepDynamoDb).ConfigureAwait(false);
            }
        }, async () =>
        {
            var killed = grading?.Abort() ?? 0;
            var stopped = await StopAsync(owned, started, keepDynamoDb).ConfigureAwait(false);
            return $"stopped {killed} grading process{(killed == 1 ? "" : "es")} and removed the stages{stopped}; no grades were written.";
        }).ConfigureAwait(false);
        if (code != 0) return code;

        Console.WriteLine();
        Console.WriteLine(GradeReport.Table(rows));
        if (csv is not null)
        {
            AtomicFile.WriteAllText(csv, GradeReport.Csv(rows));
            Console.WriteLine($"CSV: {Path.GetFullPath(csv)}");
        }
        Console.WriteLine(GradeReport.Json(rows));
        return 0;
    }

    /// <summary>The configured DynamoDB, for the grading processes; starts the embedded DynamoDB Local if it is not running.</summary>
    private static async Task<DynamoDbLocalInstance?> ConfiguredAsync(ConnectionSettings settings, Dictionary<string, string> environment)
    {
        switch (settings.Target)
        {
            case DynamoDbTarget.Aws:
                environment["MLM_DYNAMODB"] = "aws";
                foreach (var key in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)))
                    environment[key] = Environment.GetEnvironmentVariable(key) ?? "";
                // The grading processes' home is their stage: point the SDK at the user's own AWS files.
                var aws = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws");
                environment.TryAdd("AWS_CONFIG_FILE", Path.Combine(aws, "config"));
                environment.TryAdd("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(aws, "credentials"));
                Console.Error.WriteLine("DynamoDB: AWS (MLM_DYNAMODB=aws), a table per hand-in.");
                return null;
            case DynamoDbTarget.Endpoint:
                environment["AWS_ENDPOINT_URL_DYNAMODB"] = settings.Endpoint!;
                Console.Error.WriteLine($"DynamoDB: {settings.Endpoint}, a table per hand-in.");
                return null;
            default:
                var instance = await DynamoDbLocal.EnsureRunningAsync(settings.LocalPort).ConfigureAwait(false);
                environment["AWS_ENDPOINT_URL_DYNAMODB"] = instance.Endpoint;
                Console.Error.WriteLine($"DynamoDB Local {(instance.StartedNow ? "started" : "is running")} at {instance.Endpoint}, a table per hand-in.");
                return instance.StartedNow ? instance : null;
        }
    }

    /// <summary>Stops what grading started; returns a clause for the interruption line.</summary>
    private static async Task<string> StopAsync(OwnedDynamoDbLocal? owned, DynamoDbLocalInstance? started, bool keep)
    {
        if (owned is not null)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
            return ", stopped grading's DynamoDB Local";
        }
        if (started is null) return "";
        if (keep) return $", the DynamoDB Local on port {started.Port} keeps running (--keep-dynamodb)";
        var line = await DynamoDbLocal.StopAsync(started.Port).ConfigureAwait(false);
        Console.Error.WriteLine(line + " (--keep-dynamodb keeps it running.)");
        return ", stopped the DynamoDB Local it started";
    }

    private sealed class Progress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (writer) writer.WriteLine(value);
        }
    }
}
