using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Mlm.Workbook;

/// <summary>
/// Starts a program that outlives the process that starts it, and its parent and process group too: VS Code ends a
/// kernel's child processes on a restart, and a terminal's Ctrl-C reaches its whole process group. A short-lived
/// launcher starts the program and exits at once, so that the program is re-parented (to init on Unix; on Windows
/// it is nobody's child then) and in a session of its own; it prints the program's process id, which is all that is
/// left to know it by. Output goes to log files rather than to pipes that close when the starter ends.
/// </summary>
internal static class DetachedLaunch
{
    /// <summary>How to launch: the launcher's start info and the log files the program writes.</summary>
    /// <param name="Start">Runs the launcher, which prints the program's process id and exits.</param>
    /// <param name="LogFiles">Where the program's output goes (Windows needs one file per stream).</param>
    internal sealed record Plan(ProcessStartInfo Start, IReadOnlyList<string> LogFiles);

    /// <summary>The launcher for a platform.</summary>
    /// <param name="platform">The machine.</param>
    /// <param name="fileExists">Tells whether a file exists (the tools differ between systems).</param>
    /// <param name="program">The program to start.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="logPath">Its log file: stdout and stderr both, or stdout alone on Windows, with stderr beside it.</param>
    internal static Plan For(HostPlatform platform, Func<string, bool> fileExists, string program, IReadOnlyList<string> arguments, string logPath)
    {
        if (platform.IsWindows)
        {
            // Start-Process creates the program and returns; PowerShell then exits, so the program is not in the
            // starter's process tree (which VS Code ends with taskkill /T). Values go through the environment, not the
            // command line, so no quoting can break; -ArgumentList takes the program's command line as one string.
            var errorLog = Path.ChangeExtension(logPath, ".err.log");
            var start = new ProcessStartInfo("powershell.exe") { UseShellExecute = false, CreateNoWindow = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command",
                         "$p = Start-Process -FilePath $env:MLM_LAUNCH_PROGRAM -ArgumentList $env:MLM_LAUNCH_ARGUMENTS -WorkingDirectory $env:MLM_LAUNCH_DIRECTORY " +
                         "-RedirectStandardOutput $env:MLM_LAUNCH_LOG -RedirectStandardError $env:MLM_LAUNCH_ERRORS -WindowStyle Hidden -PassThru; $p.Id"])
                start.ArgumentList.Add(argument);
            start.Environment["MLM_LAUNCH_PROGRAM"] = program;
            start.Environment["MLM_LAUNCH_ARGUMENTS"] = WindowsCommandLine(arguments);
            start.Environment["MLM_LAUNCH_LOG"] = logPath;
            start.Environment["MLM_LAUNCH_ERRORS"] = errorLog;
            return new Plan(start, [logPath, errorLog]);
        }

        // sh starts the program in the background and prints its id: "$@" is the session maker and the program.
        var posix = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        posix.ArgumentList.Add("-c");
        posix.ArgumentList.Add("\"$@\" >>\"$MLM_LAUNCH_LOG\" 2>&1 </dev/null & echo $!");
        posix.ArgumentList.Add("sh");
        // A new session, so that no signal to the starter's process group or terminal reaches the program. Linux has
        // setsid(1); macOS has not, but ships perl. setsid(1) and perl both exec, so the id printed is the program's.
        if (fileExists("/usr/bin/setsid")) posix.ArgumentList.Add("/usr/bin/setsid");
        else if (fileExists("/bin/setsid")) posix.ArgumentList.Add("/bin/setsid");
        else if (fileExists("/usr/bin/perl"))
        {
            foreach (var argument in (string[])["/usr/bin/perl", "-MPOSIX", "-e", "POSIX::setsid(); exec { $ARGV[0] } @ARGV or die \"cannot start $ARGV[0]: $!\\n\""])
                posix.ArgumentList.Add(argument);
        }
        // (Without either, the program is still re-parented, but stays in the starter's process group.)
        posix.ArgumentList.Add(program);
        foreach (var argument in arguments) posix.ArgumentList.Add(argument);
        posix.Environment["MLM_LAUNCH_LOG"] = logPath;
        return new Plan(posix, [logPath]);
    }

    /// <summary>Runs the launcher and returns the program it started.</summary>
    /// <exception cref="DynamoDbLocalException">The launcher failed or printed no process id.</exception>
    internal static async Task<Process> StartAsync(Plan plan, string workingDirectory, CancellationToken cancellationToken)
    {
        plan.Start.WorkingDirectory = workingDirectory;
        plan.Start.Environment["MLM_LAUNCH_DIRECTORY"] = workingDirectory;
        using var launcher = Process.Start(plan.Start) ?? throw new DynamoDbLocalException($"Could not start {plan.Start.FileName}.");
        var stdout = launcher.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = launcher.StandardError.ReadToEndAsync(cancellationToken);
        await launcher.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        var lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (launcher.ExitCode != 0 || !int.TryParse(lastLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            throw new DynamoDbLocalException($"Could not start DynamoDB Local through {plan.Start.FileName} (exit code {launcher.ExitCode.ToString(CultureInfo.InvariantCulture)}): {(output + await stderr.ConfigureAwait(false)).Trim()}");
        try
        {
            return Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            throw new DynamoDbLocalException($"DynamoDB Local (process {pid.ToString(CultureInfo.InvariantCulture)}) ended as soon as it started.\n{ExternalProgram.Tail(ReadAll(plan.LogFiles))}");
        }
    }

    /// <summary>The log files' text, one after the other; empty for a file that is not there yet.</summary>
    internal static string ReadAll(IEnumerable<string> paths) => string.Concat(paths.Select(path =>
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }));

    /// <summary>A Windows command line that hands each argument over unchanged (the rules of CommandLineToArgvW).</summary>
    internal static string WindowsCommandLine(IEnumerable<string> arguments)
    {
        var line = new StringBuilder();
        foreach (var argument in arguments)
        {
            if (line.Length > 0) line.Append(' ');
            if (argument.Length > 0 && argument.IndexOfAny([' ', '\t', '"']) < 0)
            {
                line.Append(argument);
                continue;
            }
            line.Append('"');
            var backslashes = 0;
            foreach (var c in argument)
            {
                if (c == '\\') { backslashes++; continue; }
                line.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes);
                backslashes = 0;
                line.Append(c);
            }
            line.Append('\\', backslashes * 2).Append('"');
        }
        return line.ToString();
    }
}
