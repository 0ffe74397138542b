using System.CommandLine;
using Mlm.Workbook.Notebooks.Course;

namespace Mlm.Workbook.Cli;

/// <summary>The <c>grade</c> verb: runs folders of notebooks and reports each exercise's check.</summary>
internal static class GradeVerb
{
    public static Command Command()
    {
        var folders = new Argument<string[]>("FOLDER")
        {
            Description = "Folders of notebooks to grade (a student's edition's notebooks, or a hand-in), each on a table of its own",
            Arity = ArgumentArity.OneOrMore,
        };
        var timeout = CliOptions.Number("--cell-timeout", "Seconds one cell may run before it is stopped",
            (int)GradeOptions.DefaultCellTimeout.TotalSeconds, 1, 86_400);
        var csv = new Option<string>("--csv") { Description = "Also write the rows to this CSV file", HelpName = "FILE" };
        var executed = new Option<string>("--out") { Description = "Keep the executed notebooks here, one folder per graded folder, named after its path (01-alice-notebooks)", HelpName = "DIR" };
        var keep = CliOptions.KeepDynamoDb();
        var command = new Command("grade",
            "Run each folder's exercise notebooks (grading runs the students' code) and print one row per folder and exercise, " +
            "then one JSON line; exit 0 whenever grading ran, whatever the score.")
        {
            folders, timeout, csv, executed, keep,
        };
        command.SetAction((result, _) => RunAsync(result.GetValue(folders) ?? [], TimeSpan.FromSeconds(result.GetValue(timeout)),
            result.GetValue(csv), result.GetValue(executed), result.GetValue(keep)));
        return command;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> folders, TimeSpan cellTimeout, string? csv, string? executed, bool keepDynamoDb)
    {
        var plan = Grader.Plan(folders); // before starting anything: a wrong folder is a quick error
        IReadOnlyList<GradeRow> rows = [];
        var progress = new Progress(Console.Error);
        await WithDynamoDb.RunAsync(keepDynamoDb, async (_, cancellationToken) =>
        {
            rows = await Grader.GradeAsync(plan, new GradeOptions(cellTimeout, executed), progress, cancellationToken);
            return 0;
        });
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

    private sealed class Progress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
