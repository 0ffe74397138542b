using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mlm.Workbook.Notebooks.Course;

namespace Mlm.Workbook.Cli;

/// <summary>
/// <c>bench grade</c>: grades N copies of this repository's notebooks as <c>grade</c> does (a process per hand-in, a
/// private DynamoDB Local) with J at once, and prints hand-ins per minute and what 100 hand-ins would take.
/// </summary>
internal static class GradeBench
{
    public static System.CommandLine.Command Command()
    {
        var handIns = CliOptions.Number("--hand-ins", "Copies of the repository's notebooks to grade", 10, 1, 1_000);
        var jobs = CliOptions.Number("--jobs", "Hand-ins graded at once", GradeVerb.DefaultJobs, 1, 64);
        var command = new System.CommandLine.Command("grade",
            "Grade copies of the repository's notebooks as grade does, each in a process of its own, and print hand-ins per minute.")
        {
            handIns, jobs,
        };
        command.SetAction((result, _) => RunAsync(result.GetValue(handIns), result.GetValue(jobs)));
        return command;
    }

    private static async Task<int> RunAsync(int count, int jobs)
    {
        var source = Path.Combine(RepositoryRoot.Find(), "notebooks");
        var folder = Directory.CreateTempSubdirectory("mlm-bench-grade-").FullName;
        OwnedDynamoDbLocal? owned = null;
        IsolatedGrading? grading = null;
        try
        {
            var folders = Enumerable.Range(1, count).Select(i =>
            {
                var handIn = Directory.CreateDirectory(Path.Combine(folder, $"student-{i:D3}", "notebooks")).FullName;
                foreach (var notebook in Directory.GetFiles(source, "*.ipynb")) File.Copy(notebook, Path.Combine(handIn, Path.GetFileName(notebook)));
                return handIn;
            }).ToList();
            var plan = Grader.Plan(folders);
            return await Interruption.RunAsync(async cancellationToken =>
            {
                owned = await DynamoDbLocal.StartInMemoryAsync(separateDatabasePerAccessKey: true, cancellationToken).ConfigureAwait(false);
                grading = new IsolatedGrading(new IsolationOptions(GradeOptions.DefaultCellTimeout, jobs, null,
                    new Dictionary<string, string> { ["AWS_ENDPOINT_URL_DYNAMODB"] = owned.Endpoint }, []), new Quiet());
                var clock = Stopwatch.StartNew();
                var rows = await grading.GradeAsync(plan, cancellationToken).ConfigureAwait(false);
                var seconds = clock.Elapsed.TotalSeconds;
                var perMinute = count * 60 / seconds;
                var hundred = 100 / perMinute;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{count} hand-ins, {jobs} at once, namespaces {(GradeSandbox.UsesNamespaces ? "on" : "off")}, {Environment.ProcessorCount} cores: " +
                    $"{seconds:F0} s, {perMinute:F1} hand-ins/minute, {rows.Count(r => r.Passed)} of {rows.Count} checks passed; 100 hand-ins ≈ {hundred:F0} min"));
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    hand_ins = count, jobs, cores = Environment.ProcessorCount, namespaces = GradeSandbox.UsesNamespaces,
                    seconds = Math.Round(seconds, 1), hand_ins_per_minute = Math.Round(perMinute, 2), minutes_for_100 = Math.Round(hundred, 1),
                    passed = rows.Count(r => r.Passed), total = rows.Count,
                }));
                return 0;
            }, async () =>
            {
                var killed = grading?.Abort() ?? 0;
                if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
                return $"stopped {killed} grading processes and grading's DynamoDB Local, and removed the copies.";
            }).ConfigureAwait(false);
        }
        finally
        {
            if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private sealed class Quiet : IProgress<string>
    {
        public void Report(string value)
        {
            if (value.StartsWith("Graded ", StringComparison.Ordinal)) Console.Error.WriteLine(value);
        }
    }
}
