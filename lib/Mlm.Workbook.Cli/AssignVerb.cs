using System.CommandLine;
using Mlm.Workbook.Notebooks.Course;

namespace Mlm.Workbook.Cli;

/// <summary>The <c>assign</c> verb: writes the student edition of the repository.</summary>
internal static class AssignVerb
{
    public static Command Command()
    {
        var output = new Option<string>("--out")
        {
            Description = "Folder for the student edition: new, empty, or an earlier student edition (never anything else)",
            HelpName = "DIR",
            Required = true,
        };
        var command = new Command("assign",
            "Write the student edition: the repository's tracked files, each solution region replaced by a placeholder, " +
            "the outputs of solution and check cells cleared, cells tagged 'instructor' and instructor-only Markdown blocks left out.")
        {
            output,
        };
        command.SetAction((result, _) => RunAsync(result.GetValue(output)!));
        return command;
    }

    public static Task<int> RunAsync(string output)
    {
        var summary = StudentEdition.Write(RepositoryRoot.Find(), output);
        Console.WriteLine($"Wrote the student edition to {summary.Directory}: {summary.Files} files, {summary.Notebooks} notebooks, " +
                          $"{summary.Solutions} solutions replaced by a placeholder, {summary.InstructorCells} instructor cells left out.");
        return Task.FromResult(0);
    }
}
