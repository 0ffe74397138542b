using System.Diagnostics;
using System.Globalization;
using Mlm.Workbook.Tests.Kernel;

namespace Mlm.Workbook.Tests;

/// <summary>What differs on Windows, macOS and in other locales, checked from Linux.</summary>
public class PlatformTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void On_macOS_Java_is_also_looked_for_in_Homebrew_s_keg_only_JDKs_after_PATH()
    {
        var candidates = JavaRuntime.CandidateExecutables(javaHome: null, isMacOS: true, isWindows: false);

        Assert.Equal("java", candidates[0]);
        Assert.Contains("/opt/homebrew/opt/openjdk@17/bin/java", candidates);
        Assert.Contains("/usr/local/opt/openjdk@17/bin/java", candidates);
        Assert.Equal(["java"], JavaRuntime.CandidateExecutables(null, isMacOS: false, isWindows: false));
        Assert.Equal([Path.Combine("/jdk", "bin", "java.exe")], JavaRuntime.CandidateExecutables("/jdk", isMacOS: false, isWindows: true));
        Assert.Equal([Path.Combine("/jdk", "bin", "java")], JavaRuntime.CandidateExecutables("/jdk", isMacOS: true, isWindows: false));
    }

    [Fact]
    public void Library_messages_write_numbers_the_same_in_every_culture()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var error = Assert.ThrowsAny<ArgumentException>(() => FakeData.Check(new FakeDataOptions(Members: int.MaxValue)));
            Assert.Contains("10,000,000", error.Message);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public async Task The_command_line_writes_numbers_the_same_in_a_German_locale()
    {
        var start = new ProcessStartInfo(KernelProcess.Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "seed", "--users", "2147483647" }) start.ArgumentList.Add(argument);
        start.Environment["LANG"] = "de_DE.UTF-8";
        start.Environment["LC_ALL"] = "de_DE.UTF-8";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);

        Assert.Contains("--users must be from 0 to 10,000,000", await output + await errors);
    }
}

/// <summary>Starting DynamoDB Local on macOS and on Windows on Arm, checked from Linux.</summary>
public class DynamoDbLocalPlatformTests
{
    [Fact]
    public void Without_a_setsid_command_as_on_macOS_DynamoDB_Local_gets_its_own_session_through_Perl()
    {
        var linux = DynamoDbLocalProcess.SessionLauncher(p => p == "/usr/bin/setsid");
        Assert.Equal("/usr/bin/setsid", linux.FileName);
        Assert.Equal(["/bin/sh"], linux.Arguments);
        var (file, arguments) = DynamoDbLocalProcess.SessionLauncher(p => p == "/usr/bin/perl");
        Assert.Equal("/usr/bin/perl", file);
        Assert.Contains("POSIX::setsid", string.Join(' ', arguments));
        Assert.Equal("/bin/sh", arguments[^1]);
        Assert.Equal("/bin/sh", DynamoDbLocalProcess.SessionLauncher(_ => false).FileName);
    }

    [Fact]
    public async Task The_Perl_launcher_really_starts_a_new_session()
    {
        if (!File.Exists("/usr/bin/perl")) Assert.Fail("Needs /usr/bin/perl (apt-get install perl-base).");
        var (file, arguments) = DynamoDbLocalProcess.SessionLauncher(p => p == "/usr/bin/perl");
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("ps -o sid= -p $$; echo $$");
        using var process = Process.Start(start)!;
        var lines = (await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(lines[1], lines[0]); // the shell leads its own session
    }

    [Theory]
    [InlineData(true, false, "aarch64", "sqlite4java-win32-aarch64.dll")]
    [InlineData(true, false, "amd64", "sqlite4java-win32-x64.dll")]
    [InlineData(false, true, "aarch64", "libsqlite4java-osx-aarch64.dylib")]
    [InlineData(false, false, "amd64", "libsqlite4java-linux-amd64.so")]
    public void The_SQLite_library_for_each_platform_is_named_as_DynamoDB_Local_ships_it(bool windows, bool macOS, string arch, string expected) =>
        Assert.Equal(expected, DynamoDbLocalProcess.SqliteLibrary(windows, macOS, arch));

    [Fact]
    public async Task Windows_on_Arm_with_an_Arm_Java_is_told_what_to_do_as_the_package_has_no_SQLite_for_it()
    {
        var jar = await DynamoDbLocal.InstalledJarDirectoryAsync(TestContext.Current.CancellationToken);
        var lib = Path.Combine(jar, "DynamoDBLocal_lib");
        DynamoDbLocalProcess.CheckSqliteLibrary(lib, DynamoDbLocalProcess.SqliteLibrary(true, false, "amd64"), "amd64");

        var error = Assert.Throws<DynamoDbLocalException>(() => DynamoDbLocalProcess.CheckSqliteLibrary(lib, DynamoDbLocalProcess.SqliteLibrary(true, false, "aarch64"), "aarch64"));

        Assert.Contains("sqlite4java-win32-aarch64.dll", error.Message);
        Assert.Contains("x64 JDK", error.Message);
    }
}
