using System.Diagnostics;

namespace Mlm.Workbook.Tests;

/// <summary>Another program run by the workbook reports how it ended, and is stopped with the work that started it.</summary>
public sealed class ExternalProgramTests
{
    [Fact]
    public async Task A_program_reports_its_exit_code_and_both_streams_and_a_missing_one_is_null()
    {
        var run = await ExternalProgram.RunAsync("sh", ["-c", "echo out; echo err >&2; exit 3"], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(new ProgramRun(3, "out\n", "err\n"), run);
        Assert.Null(await ExternalProgram.RunAsync("mlm-no-such-program", [], cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cancelling_ends_the_program_and_the_processes_it_started()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads /proc");
        var pids = Path.GetTempFileName();
        try
        {
            using var stop = new CancellationTokenSource();
            // A shell that starts a child, as npm or dotnet do, and both wait far longer than the test.
            var running = ExternalProgram.RunAsync("sh", ["-c", $"sleep 300 & echo $$ $! > '{pids}'; wait"], cancellationToken: stop.Token);
            var clock = Stopwatch.StartNew();
            while (new FileInfo(pids).Length == 0 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20, TestContext.Current.CancellationToken);
            var started = File.ReadAllText(pids).Split(' ', StringSplitOptions.TrimEntries).Select(int.Parse).ToList();
            Assert.Equal(2, started.Count);

            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

            while (started.Any(Signals.IsAlive) && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20, TestContext.Current.CancellationToken);
            Assert.DoesNotContain(started, Signals.IsAlive);
        }
        finally
        {
            File.Delete(pids);
        }
    }
}
