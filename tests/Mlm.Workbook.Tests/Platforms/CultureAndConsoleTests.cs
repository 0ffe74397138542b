using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Mlm.Workbook.Tests.Kernel;

namespace Mlm.Workbook.Tests.Platforms;

/// <summary>Messages read the same on a German Windows as here: numbers in them never follow the user's culture.</summary>
public class CultureAndConsoleTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private static readonly CultureInfo German = new("de-DE");

    private static void SkipWithoutCultures() =>
        Assert.SkipUnless(1234.5.ToString("N1", German) == "1.234,5", "This machine has no culture data (invariant globalization).");

    [Fact]
    public void Limits_in_the_library_s_messages_are_written_the_invariant_way_under_de_DE()
    {
        SkipWithoutCultures();
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = German;
            CultureInfo.CurrentUICulture = German;

            var members = Assert.Throws<ArgumentOutOfRangeException>(() => FakeData.Check(new FakeDataOptions { Members = int.MaxValue }));
            Assert.Contains("from 0 to 10,000,000", members.Message);
            var realistic = Assert.Throws<ArgumentOutOfRangeException>(() => RealisticData.Check(new RealisticDataOptions { Members = int.MaxValue }));
            Assert.Contains(",000", realistic.Message);
            Assert.DoesNotContain(".000", realistic.Message);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
            CultureInfo.CurrentUICulture = original;
        }
    }

    [Theory]
    [InlineData(new[] { "seed", "--users", "2147483647" }, "--users must be from 0 to 10,000,000")]
    [InlineData(new[] { "run", "--cell-timeout", "0" }, "--cell-timeout must be from 1 to 86,400; got 0")]
    [InlineData(new[] { "seed", "--help" }, "(0 to 10,000,000)")]
    public async Task The_command_line_tool_under_a_German_locale_writes_numbers_the_invariant_way(string[] arguments, string expected)
    {
        SkipWithoutCultures();
        var start = new ProcessStartInfo(KernelProcess.Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["LANG"] = "de_DE.UTF-8";
        start.Environment["LC_ALL"] = "de_DE.UTF-8";
        start.Environment["MLM_DYNAMODB_PORT"] = "8699";

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(Cancel) + await process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);

        Assert.Contains(expected, output);
    }

    [Fact]
    public void Only_Windows_consoles_are_switched_to_UTF_8()
    {
        var windows = new HostPlatform(HostOs.Windows, Architecture.X64).ConsoleOutputEncoding;
        Assert.NotNull(windows);
        Assert.Equal("utf-8", windows.WebName);
        Assert.Empty(windows.GetPreamble()); // no byte order mark in front of piped output
        Assert.Equal("✔ ✘ ○", windows.GetString(windows.GetBytes("✔ ✘ ○")));
        Assert.Null(new HostPlatform(HostOs.Linux, Architecture.X64).ConsoleOutputEncoding);
        Assert.Null(new HostPlatform(HostOs.MacOS, Architecture.Arm64).ConsoleOutputEncoding);
    }
}
