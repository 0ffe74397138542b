using System.Runtime.InteropServices;

namespace Mlm.Workbook.Tests.Platforms;

/// <summary>Finding Java on macOS and refusing Windows on ARM's ARM64 Java, decided for those platforms on Linux.</summary>
public class JavaOnEveryPlatformTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private static readonly HostPlatform MacOS = new(HostOs.MacOS, Architecture.Arm64);
    private static readonly HostPlatform Linux = new(HostOs.Linux, Architecture.X64);

    private static string StandInJava(string javaHome, string versionLine) => EnvironmentTests.StandInJava(javaHome, versionLine);

    private static Task<string?> NoJavaHomeTool(CancellationToken _) => Task.FromResult<string?>(null);

    [Fact]
    public async Task On_macOS_a_keg_only_Homebrew_JDK_is_found_when_PATH_has_only_the_stub()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The stand-in java is a shell script.");
        var folder = Directory.CreateTempSubdirectory("brew-");
        try
        {
            // macOS's /usr/bin/java is a stub that answers "Unable to locate a Java Runtime" when no JDK is registered.
            var stub = StandInJava(Path.Combine(folder.FullName, "usr"), "The operation couldn't be completed. Unable to locate a Java Runtime.");
            var missing = Path.Combine(folder.FullName, "opt", "openjdk@17");
            var brew = Path.Combine(folder.FullName, "opt", "openjdk");
            var java = StandInJava(brew, "openjdk version \"23.0.2\" 2025-01-21");

            Assert.Equal(java, await JavaRuntime.SearchAsync(MacOS, null, stub, NoJavaHomeTool, [missing, brew], Cancel));
            // Elsewhere the Homebrew folders are not looked at.
            var error = await Assert.ThrowsAsync<DynamoDbLocalException>(() => JavaRuntime.SearchAsync(Linux, null, stub, NoJavaHomeTool, [brew], Cancel));
            Assert.Contains("unknown version", error.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task On_macOS_the_JDK_that_java_home_names_comes_before_Homebrew()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "The stand-in java is a shell script.");
        var folder = Directory.CreateTempSubdirectory("java-home-");
        try
        {
            var registered = Path.Combine(folder.FullName, "temurin-17.jdk", "Contents", "Home");
            var java = StandInJava(registered, "openjdk version \"17.0.15\" 2025-04-15");
            var brew = Path.Combine(folder.FullName, "openjdk");
            StandInJava(brew, "openjdk version \"23.0.2\" 2025-01-21");

            var found = await JavaRuntime.SearchAsync(MacOS, null, Path.Combine(folder.FullName, "no-java"),
                _ => Task.FromResult<string?>(registered + "\n"), [brew], Cancel);

            Assert.Equal(java, found);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task On_macOS_no_Java_at_all_names_every_place_tried_and_the_Homebrew_command()
    {
        var error = await Assert.ThrowsAsync<DynamoDbLocalException>(() =>
            JavaRuntime.SearchAsync(MacOS, null, "/nonexistent/java", NoJavaHomeTool, ["/nonexistent/openjdk@17"], Cancel));

        Assert.Contains("Java was not found (/nonexistent/java)", error.Message);
        Assert.Contains("brew install openjdk@17", error.Message);
        Assert.Contains("AWS_ENDPOINT_URL_DYNAMODB", error.Message);
    }

    [Fact]
    public void On_Windows_JAVA_HOME_names_java_exe()
    {
        Assert.Equal("java.exe", new HostPlatform(HostOs.Windows, Architecture.X64).Executable("java"));
        Assert.Equal("java", MacOS.Executable("java"));
    }

    [Theory]
    [InlineData(HostOs.Windows, Architecture.Arm64, "aarch64", true)]
    [InlineData(HostOs.Windows, Architecture.Arm64, null, true)]
    [InlineData(HostOs.Windows, Architecture.Arm64, "amd64", false)]
    [InlineData(HostOs.Windows, Architecture.X64, "amd64", false)]
    [InlineData(HostOs.MacOS, Architecture.Arm64, "aarch64", false)]
    [InlineData(HostOs.Linux, Architecture.Arm64, "aarch64", false)]
    public void Windows_on_ARM_with_an_ARM64_Java_is_refused_before_starting_naming_both_ways_out(HostOs os, Architecture architecture, string? javaArchitecture, bool refused)
    {
        var problem = JavaRuntime.NativeLibraryProblem(new HostPlatform(os, architecture), javaArchitecture);

        Assert.Equal(refused, problem is not null);
        if (problem is null) return;
        Assert.Contains("Windows on ARM", problem);
        Assert.Contains("no win-arm64 build", problem);
        Assert.Contains("x64 JDK", problem);
        Assert.Contains("AWS_ENDPOINT_URL_DYNAMODB", problem);
    }

    [Fact]
    public void The_JVM_architecture_is_read_from_its_properties()
    {
        const string output = "Property settings:\n    file.separator = \\\n    os.arch = aarch64\n    os.name = Windows 11\n\nopenjdk version \"21.0.5\" 2024-10-15\n";

        Assert.Equal("aarch64", JavaRuntime.ParseArchitecture(output));
        Assert.Equal(21, JavaRuntime.ParseMajorVersion(output));
        Assert.Null(JavaRuntime.ParseArchitecture("openjdk version \"21.0.5\""));
    }
}
