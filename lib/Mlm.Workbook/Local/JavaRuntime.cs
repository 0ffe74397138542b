using System.Text.RegularExpressions;

namespace Mlm.Workbook;

/// <summary>Finding a Java that runs DynamoDB Local.</summary>
public static class JavaRuntime
{
    /// <summary>The oldest Java that runs DynamoDB Local 3.</summary>
    public const int MinimumVersion = 17;

    /// <summary>Checks that Java 17 or newer is available and returns its executable.</summary>
    /// <param name="javaHome">A Java installation folder; by default <c>JAVA_HOME</c>, or <c>java</c> on PATH when that is unset.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <exception cref="DynamoDbLocalException">Java is missing or too old.</exception>
    public static async Task<string> FindAsync(string? javaHome = null, CancellationToken cancellationToken = default)
    {
        javaHome ??= Environment.GetEnvironmentVariable("JAVA_HOME");
        var candidates = CandidateExecutables(javaHome, OperatingSystem.IsMacOS(), OperatingSystem.IsWindows());
        (string Java, int? Version)? tooOld = null;
        foreach (var java in candidates)
        {
            if (java != "java" && Path.IsPathRooted(java) && java != candidates[0] && !File.Exists(java)) continue;
            var result = await ExternalProgram.RunAsync(java, ["-version"], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result is null) continue;
            var version = ParseMajorVersion(result.AllOutput);
            if (version >= MinimumVersion) return java;
            // macOS's /usr/bin/java is a stub that says no runtime is installed; it has no version, so the next candidate is tried.
            tooOld ??= (java, version);
        }
        if (tooOld is { } old && (old.Version is not null || candidates.Count == 1))
            throw new DynamoDbLocalException(
                $"DynamoDB Local needs Java {MinimumVersion} or newer, but {old.Java} is {(old.Version is null ? "of an unknown version" : $"Java {old.Version}")}. " +
                $"Install Java {MinimumVersion}+ and put it first on PATH or in JAVA_HOME.");
        throw new DynamoDbLocalException(
            $"Java was not found ({string.Join(", ", candidates)}). DynamoDB Local needs Java {MinimumVersion} or newer: install a JDK or JRE {MinimumVersion}+ " +
            (OperatingSystem.IsMacOS() ? "(`brew install openjdk@17`) " : "") + "and put it on PATH or in JAVA_HOME, " +
            "or point AWS_ENDPOINT_URL_DYNAMODB at a DynamoDB Local you run yourself (for example in Docker).");
    }

    /// <summary>
    /// The Java executables tried, in order: JAVA_HOME's when it is set (alone), else <c>java</c> on PATH and, on macOS,
    /// Homebrew's keg-only JDKs, which are not linked onto PATH or registered with /usr/libexec/java_home
    /// (<c>/opt/homebrew/opt/openjdk@17</c> on Apple silicon, <c>/usr/local/opt/openjdk@17</c> on Intel, and <c>openjdk</c>, the newest).
    /// </summary>
    public static IReadOnlyList<string> CandidateExecutables(string? javaHome, bool isMacOS, bool isWindows)
    {
        if (!string.IsNullOrEmpty(javaHome)) return [Path.Combine(javaHome, "bin", isWindows ? "java.exe" : "java")];
        if (!isMacOS) return ["java"];
        return ["java", .. new[] { "/opt/homebrew/opt", "/usr/local/opt" }.SelectMany(prefix => new[] { $"{prefix}/openjdk@17/bin/java", $"{prefix}/openjdk/bin/java" })];
    }

    /// <summary>Reads the major version from <c>java -version</c> output: 17 from "17.0.15", 8 from "1.8.0_392".</summary>
    public static int? ParseMajorVersion(string versionOutput)
    {
        var match = Regex.Match(versionOutput ?? "", "version \"(\\d+)(?:\\.(\\d+))?");
        if (!match.Success) return null;
        var major = int.Parse(match.Groups[1].Value);
        return major == 1 && match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : major;
    }
}
