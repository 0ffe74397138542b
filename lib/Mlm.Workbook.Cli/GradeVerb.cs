using System.Globalization;
using Mlm.Workbook.Notebooks.Course;

namespace Mlm.Workbook.Cli;

/// <summary>The <c>grade</c> verb: runs folders of notebooks and reports each exercise's check.</summary>
internal static class GradeVerb
{
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        var folders = new List<string>();
        var timeout = GradeOptions.DefaultCellTimeout;
        string? csv = null, executed = null;
        var keepDynamoDb = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            string Value() => i + 1 < arguments.Count ? arguments[++i] : throw new ArgumentException($"{arguments[i]} needs a value.");
            switch (arguments[i])
            {
                case "--cell-timeout":
                    var seconds = Value();
                    timeout = double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
                        ? TimeSpan.FromSeconds(s)
                        : throw new ArgumentException($"--cell-timeout takes a number of seconds above zero; got \"{seconds}\".");
                    break;
                case "--csv": csv = Value(); break;
                case "--out": executed = Value(); break;
                case "--keep-dynamodb": keepDynamoDb = true; break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"Unknown option \"{option}\" for grade.");
                default: folders.Add(arguments[i]); break;
            }
        }
        if (folders.Count == 0) throw new ArgumentException("grade needs one or more folders of notebooks, such as `grade notebooks`.");

        IReadOnlyList<GradeRow> rows = [];
        var progress = new Progress(Console.Error);
        await WithDynamoDb.RunAsync(keepDynamoDb, async _ =>
        {
            rows = await Grader.GradeAsync(folders, new GradeOptions(timeout, executed), progress);
            return 0;
        });
        Console.WriteLine();
        Console.WriteLine(GradeReport.Table(rows));
        if (csv is not null)
        {
            await File.WriteAllTextAsync(csv, GradeReport.Csv(rows));
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
