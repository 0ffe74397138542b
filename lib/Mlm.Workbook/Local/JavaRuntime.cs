using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Mlm.Workbook;

/// <summary>Finding a Java that runs DynamoDB Local.</summary>
public static class JavaRuntime
{
    /// <summary>The oldest Java that runs DynamoDB Local 3.</summary>
    public const int MinimumVersion = 17;

    /// <summary>
    /// Where Homebrew puts its JDKs on macOS (Apple silicon, then Intel). They are keg-only: not on PATH and not known
    /// to <c>/usr/libexec/java_home</c> unless linked by hand, so they are tried by name.
    /// </summary>
    internal static readonly string[] HomebrewJavaHomes =
        ["/opt/homebrew/opt/openjdk@17", "/opt/homebrew/opt/openjdk", "/usr/local/opt/openjdk@17", "/usr/local/opt/openjdk"];

    /// <summary>macOS's own finder of installed JDKs.</summary>
    internal const string MacOSJavaHomeTool = "/usr/libexec/java_home";

    /// <summary>Checks that Java 17 or newer is available and returns its executable.</summary>
    /// <param name="javaHome">
    /// A Java installation folder; by default <c>JAVA_HOME</c>, or <c>java</c> on PATH when that is unset (on macOS
    /// then <c>/usr/libexec/java_home -v 17</c> and Homebrew's JDKs, when PATH has none that is new enough).
    /// </param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <exception cref="DynamoDbLocalException">Java is missing or too old.</exception>
    public static Task<string> FindAsync(string? javaHome = null, CancellationToken cancellationToken = default) =>
        SearchAsync(HostPlatform.Current, javaHome ?? Environment.GetEnvironmentVariable("JAVA_HOME"), "java", MacOSJavaHomeAsync, HomebrewJavaHomes, cancellationToken);

    /// <summary>The search itself, for a given platform, <c>java</c> on PATH, way to ask macOS's <c>java_home</c> and Homebrew folders.</summary>
    internal static async Task<string> SearchAsync(HostPlatform platform, string? javaHome, string pathJava,
        Func<CancellationToken, Task<string?>> macOSJavaHome, IEnumerable<string> homebrewHomes, CancellationToken cancellationToken)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(javaHome))
        {
            candidates.Add(Path.Combine(javaHome, "bin", platform.Executable("java")));
        }
        else
        {
            candidates.Add(pathJava);
            if (platform.IsMacOS)
            {
                if (await macOSJavaHome(cancellationToken).ConfigureAwait(false) is { Length: > 0 } found) candidates.Add(Path.Combine(found.Trim(), "bin", "java"));
                candidates.AddRange(homebrewHomes.Select(home => Path.Combine(home, "bin", "java")).Where(File.Exists));
            }
        }

        (string Java, int? Version)? tooOld = null;
        foreach (var java in candidates.Distinct())
        {
            var result = await ExternalProgram.RunAsync(java, ["-version"], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result is null) continue;
            var version = ParseMajorVersion(result.AllOutput);
            if (version >= MinimumVersion) return java;
            tooOld ??= (java, version);
        }
        if (tooOld is { } old)
            throw new DynamoDbLocalException(
                $"DynamoDB Local needs Java {MinimumVersion} or newer, but {old.Java} is {(old.Version is null ? "of an unknown version" : $"Java {old.Version}")}. " +
                $"Install Java {MinimumVersion}+ and put it first on PATH or in JAVA_HOME" +
                (platform.IsMacOS ? " (with Homebrew: brew install openjdk@17)." : "."));
        throw new DynamoDbLocalException(
            $"Java was not found ({string.Join(", ", candidates)}). DynamoDB Local needs Java {MinimumVersion} or newer: install a JDK or JRE {MinimumVersion}+ and put it on PATH or in JAVA_HOME" +
            (platform.IsMacOS ? " (with Homebrew: brew install openjdk@17)" : "") +
            ", or point AWS_ENDPOINT_URL_DYNAMODB at a DynamoDB Local you run yourself (for example in Docker).");
    }

    /// <summary>The folder <c>/usr/libexec/java_home -v 17+</c> names, or null when there is none (or no such tool).</summary>
    private static async Task<string?> MacOSJavaHomeAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(MacOSJavaHomeTool)) return null;
        var run = await ExternalProgram.RunAsync(MacOSJavaHomeTool, ["-v", MinimumVersion.ToString(CultureInfo.InvariantCulture) + "+"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return run is { ExitCode: 0 } ? run.Output.Trim() : null;
    }

    /// <summary>Reads the major version from <c>java -version</c> output: 17 from "17.0.15", 8 from "1.8.0_392".</summary>
    public static int? ParseMajorVersion(string versionOutput)
    {
        var match = Regex.Match(versionOutput ?? "", "version \"(\\d+)(?:\\.(\\d+))?");
        if (!match.Success) return null;
        var major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return major == 1 && match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : major;
    }

    /// <summary>Reads <c>os.arch</c> from <c>java -XshowSettings:properties -version</c> output: aarch64, amd64, …</summary>
    internal static string? ParseArchitecture(string propertiesOutput)
    {
        var match = Regex.Match(propertiesOutput ?? "", @"^\s*os\.arch\s*=\s*(\S+)", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// Why DynamoDB Local cannot run with this Java on this machine, or null when it can. DynamoDB Local keeps its data
    /// in SQLite through sqlite4java, whose native library has no build for Windows on ARM: an ARM64 JVM there fails
    /// on the first request. An x64 JVM (which Windows runs under emulation) loads the x64 library and works.
    /// </summary>
    /// <param name="platform">The machine.</param>
    /// <param name="javaArchitecture">The JVM's <c>os.arch</c>, or null when unknown.</param>
    internal static string? NativeLibraryProblem(HostPlatform platform, string? javaArchitecture)
    {
        if (!platform.IsWindows || platform.Architecture != Architecture.Arm64) return null;
        if (javaArchitecture is "amd64" or "x86_64") return null;
        return "DynamoDB Local cannot run on Windows on ARM with an ARM64 Java" +
               (javaArchitecture is null ? " (this Java did not say its architecture)" : $" (this Java is {javaArchitecture})") +
               ": its SQLite native library (sqlite4java) has no win-arm64 build. Either install an x64 JDK 17+ " +
               "(Windows runs it under emulation) and put it in JAVA_HOME, or set AWS_ENDPOINT_URL_DYNAMODB to another DynamoDB " +
               "endpoint (DynamoDB Local in Docker or WSL, or a table on AWS with MLM_DYNAMODB=aws).";
    }

    /// <summary>Throws when DynamoDB Local cannot run with <paramref name="java"/> on this machine (see <see cref="NativeLibraryProblem"/>).</summary>
    internal static async Task EnsureNativeLibrarySupportAsync(HostPlatform platform, string java, CancellationToken cancellationToken)
    {
        if (!platform.IsWindows || platform.Architecture != Architecture.Arm64) return;
        var run = await ExternalProgram.RunAsync(java, ["-XshowSettings:properties", "-version"], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (NativeLibraryProblem(platform, run is null ? null : ParseArchitecture(run.AllOutput)) is { } problem)
            throw new DynamoDbLocalException(problem);
    }
}
