using System.CommandLine;
using System.Diagnostics;
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
            "the outputs of solution and check cells cleared, cells tagged 'instructor' left out.")
        {
            output,
        };
        command.SetAction((result, _) => RunAsync(result.GetValue(output)!));
        return command;
    }

    public static Task<int> RunAsync(string output)
    {
        var summary = StudentEdition.Write(RepositoryRoot(), output);
        Console.WriteLine($"Wrote the student edition to {summary.Directory}: {summary.Files} files, {summary.Notebooks} notebooks, " +
                          $"{summary.Solutions} solutions replaced by a placeholder, {summary.InstructorCells} instructor cells left out.");
        return Task.FromResult(0);
    }

    /// <summary>The git repository the current folder is in.</summary>
    private static string RepositoryRoot()
    {
        var start = new ProcessStartInfo("git", "rev-parse --show-toplevel") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
        var root = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 && root.Length > 0
            ? root
            : throw new InvalidOperationException("assign copies the repository's git-tracked files: run it inside the repository.");
    }
}
