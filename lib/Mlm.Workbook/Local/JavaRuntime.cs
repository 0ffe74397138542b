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
        var java = !string.IsNullOrEmpty(javaHome) ? Path.Combine(javaHome, "bin", OperatingSystem.IsWindows() ? "java.exe" : "java") : "java";
        var result = await ExternalProgram.RunAsync(java, ["-version"], cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new DynamoDbLocalException(
                $"Java was not found ({java}). DynamoDB Local needs Java {MinimumVersion} or newer: install a JDK or JRE {MinimumVersion}+ and put it on PATH or in JAVA_HOME, " +
                "or point AWS_ENDPOINT_URL_DYNAMODB at a DynamoDB Local you run yourself (for example in Docker).");
        var version = ParseMajorVersion(result.AllOutput);
        if (version is null or < MinimumVersion)
            throw new DynamoDbLocalException(
                $"DynamoDB Local needs Java {MinimumVersion} or newer, but {java} is {(version is null ? "of an unknown version" : $"Java {version}")}. " +
                $"Install Java {MinimumVersion}+ and put it first on PATH or in JAVA_HOME.");
        return java;
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
