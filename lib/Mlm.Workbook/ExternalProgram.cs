using System.Diagnostics;

namespace Mlm.Workbook;

/// <summary>How another program ended and what it printed.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Output">What it wrote to stdout.</param>
/// <param name="Errors">What it wrote to stderr.</param>
public sealed record ProgramRun(int ExitCode, string Output, string Errors)
{
    /// <summary>Both streams, stdout first, for a message.</summary>
    public string AllOutput => Output + Errors;
}

/// <summary>Runs another program to its end and captures what it prints: npm, java, git, dotnet, python.</summary>
public static class ExternalProgram
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>; null when it is not installed.</summary>
    /// <param name="fileName">The program, by path or by name on PATH.</param>
    /// <param name="arguments">Its arguments, each passed as it is.</param>
    /// <param name="workingDirectory">Where it runs; by default this process's working directory.</param>
    /// <param name="environment">Variables to set for it, besides this process's own.</param>
    /// <param name="cancellationToken">Stops it, and the processes it started, and stops waiting.</param>
    public static async Task<ProgramRun?> RunAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, CreateNoWindow = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed or not on PATH
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Whoever stopped waiting wants the work stopped: an install or a build must not go on unseen.
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // it had ended
                throw;
            }
            return new ProgramRun(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }

    /// <summary>Whether a process with this id exists now.</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The last non-empty lines of some output.</summary>
    public static string Tail(string text, int lines = 15) =>
        string.Join("\n", text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).TakeLast(lines));
}
