using System.Diagnostics;

namespace Mlm.Workbook;

/// <summary>Starting DynamoDB Local's Java process and waiting until it answers.</summary>
internal static class DynamoDbLocalProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The variable that, set to 1 or true, starts DynamoDB Local with <c>-delayTransientStatuses</c>.</summary>
    public const string DelayTransientStatusesVariable = "MLM_DYNAMODB_DELAY_TRANSIENT_STATUSES";

    private static bool DelayTransientStatuses =>
        Environment.GetEnvironmentVariable(DelayTransientStatusesVariable)?.Trim().ToLowerInvariant() is "1" or "true";

    /// <summary>
    /// Starts Java on the jar: on disk in <c>dataDirectory</c>, or in memory when that is null. Detached, it runs in a
    /// session of its own with output to <c>logPath</c>, so that it outlives this process. With <paramref name="sharedDb"/>
    /// false it keeps one database per access key id and region instead of one for all.
    /// </summary>
    public static async Task<Process> LaunchAsync(int port, string? dataDirectory, string? logPath, bool detached, CancellationToken cancellationToken,
        bool sharedDb = true)
    {
        var java = await JavaRuntime.FindAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var jarDirectory = await DynamoDbLocalPackage.InstalledJarDirectoryAsync(cancellationToken).ConfigureAwait(false);
        if (OperatingSystem.IsWindows() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64)
        {
            // The package ships SQLite for x86 and x64 Windows only; an Arm64 JVM would fail on its first table.
            var properties = await ExternalProgram.RunAsync(java, ["-XshowSettings:properties", "-version"], cancellationToken: cancellationToken).ConfigureAwait(false);
            var javaArch = System.Text.RegularExpressions.Regex.Match(properties?.AllOutput ?? "", @"os\.arch = (\S+)").Groups[1].Value;
            if (javaArch.Length > 0)
                CheckSqliteLibrary(Path.Combine(jarDirectory, "DynamoDBLocal_lib"), SqliteLibrary(windows: true, macOS: false, javaArch), javaArch);
        }
        var arguments = new List<string>
        {
            $"-Djava.library.path={Path.Combine(jarDirectory, "DynamoDBLocal_lib")}",
            "-jar", Path.Combine(jarDirectory, DynamoDbLocalPackage.JarName),
            "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-disableTelemetry",
        };
        if (sharedDb) arguments.Add("-sharedDb");
        arguments.AddRange(dataDirectory is null ? ["-inMemory"] : ["-dbPath", dataDirectory]);
        // Tables and indexes then pass through CREATING (and DELETING) for a while, as on AWS, instead of being ACTIVE at once.
        if (DelayTransientStatuses) arguments.Add("-delayTransientStatuses");

        ProcessStartInfo start;
        if (detached && !OperatingSystem.IsWindows())
        {
            // A new session (setsid) keeps Ctrl-C in the terminal or a kernel restart from reaching Java,
            // and output goes to a log file rather than to a pipe that closes when this process ends.
            // setsid and sh both exec, so the process started is Java itself.
            var (launcher, launcherArguments) = SessionLauncher(File.Exists);
            start = new ProcessStartInfo(launcher) { UseShellExecute = false };
            foreach (var argument in launcherArguments) start.ArgumentList.Add(argument);
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$MLM_DYNAMODB_LOG\" 2>&1 </dev/null");
            start.ArgumentList.Add(java);
            start.Environment["MLM_DYNAMODB_LOG"] = logPath;
        }
        else
        {
            start = new ProcessStartInfo(java) { UseShellExecute = false, CreateNoWindow = true, RedirectStandardOutput = !detached, RedirectStandardError = !detached };
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.WorkingDirectory = jarDirectory;
        return Process.Start(start) ?? throw new DynamoDbLocalException($"Could not start {java}.");
    }

    /// <summary>
    /// How to start /bin/sh in a session of its own: util-linux's setsid on Linux; macOS has no setsid command, so there
    /// Perl's POSIX::setsid (Perl ships with macOS) does the same before it execs; with neither, plain /bin/sh (no new session).
    /// </summary>
    internal static (string FileName, IReadOnlyList<string> Arguments) SessionLauncher(Func<string, bool> exists)
    {
        foreach (var setsid in new[] { "/usr/bin/setsid", "/bin/setsid" })
            if (exists(setsid)) return (setsid, ["/bin/sh"]);
        if (exists("/usr/bin/perl")) return ("/usr/bin/perl", ["-MPOSIX", "-e", "POSIX::setsid(); exec @ARGV or die \"exec: $!\"", "/bin/sh"]);
        return ("/bin/sh", []);
    }

    /// <summary>
    /// The sqlite4java native library DynamoDB Local loads for a Java of this platform and architecture (<c>os.arch</c>).
    /// </summary>
    internal static string SqliteLibrary(bool windows, bool macOS, string javaArch)
    {
        var arch = javaArch.Trim().ToLowerInvariant();
        if (windows) return $"sqlite4java-win32-{(arch is "amd64" or "x86_64" ? "x64" : arch is "x86" or "i386" ? "x86" : arch)}.dll";
        if (macOS) return $"libsqlite4java-osx-{(arch is "amd64" ? "x86_64" : arch)}.dylib";
        return $"libsqlite4java-linux-{(arch is "x86_64" ? "amd64" : arch is "x86" ? "i386" : arch)}.so";
    }

    /// <summary>Fails with a clear message when DynamoDB Local's package has no SQLite library for this Java (Windows on Arm: none).</summary>
    internal static void CheckSqliteLibrary(string libraryDirectory, string library, string javaArch)
    {
        if (File.Exists(Path.Combine(libraryDirectory, library))) return;
        throw new DynamoDbLocalException(
            $"DynamoDB Local has no SQLite library for this Java ({javaArch}): {library} is not in {libraryDirectory}. " +
            "On Windows on Arm, install an x64 JDK 17 (it runs under emulation) and set JAVA_HOME to it; or run DynamoDB Local in Docker " +
            "and set AWS_ENDPOINT_URL_DYNAMODB, or use AWS (MLM_DYNAMODB=aws).");
    }

    /// <summary>Waits until DynamoDB answers on the port; stops the process and says why when it does not.</summary>
    public static async Task WaitUntilAnsweringAsync(Process process, int port, Func<string> output, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                var log = output();
                var reason = log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
                    ? $"port {port} is already in use"
                    : $"it exited with code {process.ExitCode}";
                throw new DynamoDbLocalException($"DynamoDB Local did not start: {reason}.\n{ExternalProgram.Tail(log)}");
            }
            if (await PortProbe.ProbeAsync(port, cancellationToken).ConfigureAwait(false) == PortState.DynamoDb) return;
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        throw new DynamoDbLocalException(
            $"DynamoDB Local did not answer on port {port} within {StartTimeout.TotalSeconds:0} s.\n{ExternalProgram.Tail(output())}\n" +
            "You may instead run DynamoDB Local yourself (for example in Docker: docker run -p 8000:8000 amazon/dynamodb-local) " +
            "and set AWS_ENDPOINT_URL_DYNAMODB=http://localhost:8000.");
    }
}
