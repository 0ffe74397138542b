using System.Globalization;
using System.Diagnostics;

namespace Mlm.Workbook;

/// <summary>Starting DynamoDB Local's Java process and waiting until it answers.</summary>
internal static class DynamoDbLocalProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Set to 1 to start DynamoDB Local with <c>-delayTransientStatuses</c>, as CI's AWS-mode run does.</summary>
    public const string DelayTransientStatusesVariable = "MLM_DYNAMODB_DELAY_TRANSIENT_STATUSES";

    private static bool DelayTransientStatuses =>
        Environment.GetEnvironmentVariable(DelayTransientStatusesVariable)?.Trim().ToLowerInvariant() is "1" or "true";

    /// <summary>
    /// Starts Java on the jar in memory, as a child of this process with its output piped back. With
    /// <paramref name="sharedDb"/> false it keeps one database per access key id and region instead of one for all.
    /// </summary>
    public static async Task<Process> LaunchAsync(int port, CancellationToken cancellationToken, bool sharedDb = true)
    {
        var (java, jarDirectory, arguments) = await CommandAsync(port, dataDirectory: null, cancellationToken, sharedDb).ConfigureAwait(false);
        var start = new ProcessStartInfo(java) { UseShellExecute = false, CreateNoWindow = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = jarDirectory };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new DynamoDbLocalException($"Could not start {java}.");
    }

    /// <summary>
    /// Starts Java on the jar with its data in <c>dataDirectory</c>, detached (see <see cref="DetachedLaunch"/>): in a
    /// session of its own and no child of this process, with its output in <c>logPath</c>, so that it outlives this
    /// process, a kernel restart and Ctrl-C in a terminal.
    /// </summary>
    /// <returns>The Java process and the log files it writes.</returns>
    public static async Task<(Process Process, IReadOnlyList<string> LogFiles)> LaunchDetachedAsync(int port, string dataDirectory, string logPath, CancellationToken cancellationToken)
    {
        var (java, jarDirectory, arguments) = await CommandAsync(port, dataDirectory, cancellationToken).ConfigureAwait(false);
        var plan = DetachedLaunch.For(HostPlatform.Current, File.Exists, java, arguments, logPath);
        return (await DetachedLaunch.StartAsync(plan, jarDirectory, cancellationToken).ConfigureAwait(false), plan.LogFiles);
    }

    private static async Task<(string Java, string JarDirectory, List<string> Arguments)> CommandAsync(int port, string? dataDirectory, CancellationToken cancellationToken,
        bool sharedDb = true)
    {
        var java = await JavaRuntime.FindAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await JavaRuntime.EnsureNativeLibrarySupportAsync(HostPlatform.Current, java, cancellationToken).ConfigureAwait(false);
        var jarDirectory = await DynamoDbLocalPackage.InstalledJarDirectoryAsync(cancellationToken).ConfigureAwait(false);
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
        return (java, jarDirectory, arguments);
    }

    /// <summary>The exit code of an ended process, or null when it was not our child (a detached one) and nobody can tell.</summary>
    private static int? ExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
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
                    : ExitCode(process) is { } code ? $"it exited with code {code.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "it exited";
                throw new DynamoDbLocalException($"DynamoDB Local did not start: {reason}.\n{ExternalProgram.Tail(log)}");
            }
            if (await PortProbe.ProbeAsync(port, cancellationToken).ConfigureAwait(false) == PortState.DynamoDb) return;
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        throw new DynamoDbLocalException(
            string.Create(CultureInfo.InvariantCulture, $"DynamoDB Local did not answer on port {port} within {StartTimeout.TotalSeconds:0} s.\n{ExternalProgram.Tail(output())}\n") +
            "You may instead run DynamoDB Local yourself (for example in Docker: docker run -p 8000:8000 amazon/dynamodb-local) " +
            "and set AWS_ENDPOINT_URL_DYNAMODB=http://localhost:8000.");
    }
}
