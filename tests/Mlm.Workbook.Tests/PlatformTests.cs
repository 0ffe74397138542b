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
