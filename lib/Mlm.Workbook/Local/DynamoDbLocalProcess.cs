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
    /// session of its own with output to <c>logPath</c>, so that it outlives this process.
    /// </summary>
    public static async Task<Process> LaunchAsync(int port, string? dataDirectory, string? logPath, bool detached, CancellationToken cancellationToken)
    {
        var java = await JavaRuntime.FindAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var jarDirectory = await DynamoDbLocalPackage.InstalledJarDirectoryAsync(cancellationToken).ConfigureAwait(false);
        var arguments = new List<string>
        {
            $"-Djava.library.path={Path.Combine(jarDirectory, "DynamoDBLocal_lib")}",
            "-jar", Path.Combine(jarDirectory, DynamoDbLocalPackage.JarName),
            "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sharedDb", "-disableTelemetry",
        };
        arguments.AddRange(dataDirectory is null ? ["-inMemory"] : ["-dbPath", dataDirectory]);
        // Tables and indexes then pass through CREATING (and DELETING) for a while, as on AWS, instead of being ACTIVE at once.
        if (DelayTransientStatuses) arguments.Add("-delayTransientStatuses");

        ProcessStartInfo start;
        if (detached && !OperatingSystem.IsWindows())
        {
            // A new session (setsid) keeps Ctrl-C in the terminal or a kernel restart from reaching Java,
            // and output goes to a log file rather than to a pipe that closes when this process ends.
            // setsid and sh both exec, so the process started is Java itself.
            start = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "/bin/sh") { UseShellExecute = false };
            if (start.FileName != "/bin/sh") start.ArgumentList.Add("/bin/sh");
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
