using System.Diagnostics;
using System.Runtime.InteropServices;
using Mlm.Workbook;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// Notices when the front end that started the kernel is gone: the process named by <c>JPY_PARENT_PID</c> has ended,
/// our parent process has changed (we were re-parented, as ipykernel checks on Unix), or a stdin pipe that the
/// parent kept open has closed. jupyter_client closes the kernel's stdin right after starting it, so an end of stdin
/// within the first seconds says nothing and is ignored.
/// </summary>
public static class ParentWatch
{
    private static readonly TimeSpan StdinGrace = TimeSpan.FromSeconds(2);

    /// <summary>Completes when the parent is gone; never completes when there is nothing to watch.</summary>
    public static Task WhenGoneAsync(TextWriter log, CancellationToken cancellationToken)
    {
        var watches = new List<Task>();
        // On Windows JPY_PARENT_PID is a handle, not a process id.
        if (!OperatingSystem.IsWindows())
        {
            var named = int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var pid) && pid > 1 ? pid : (int?)null;
            watches.Add(PollAsync(named, getppid(), log, cancellationToken));
        }
        if (StdinIsPipe())
            watches.Add(WaitForStdinEndAsync(log, cancellationToken));
        return watches.Count == 0 ? Task.Delay(Timeout.Infinite, cancellationToken) : Task.WhenAny(watches).Unwrap();
    }

    [DllImport("libc")]
    private static extern int getppid();

    private static async Task PollAsync(int? named, int originalParent, TextWriter log, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (named is { } pid && !ExternalProgram.IsRunning(pid))
            {
                log.WriteLine($"[kernel] parent process {pid} (JPY_PARENT_PID) has ended; shutting down.");
                return;
            }
            if (getppid() != originalParent)
            {
                log.WriteLine($"[kernel] parent process {originalParent} has ended; shutting down.");
                return;
            }
        }
    }

    /// <summary>Only a pipe means "the parent holds the other end"; a terminal or /dev/null says nothing about the parent.</summary>
    private static bool StdinIsPipe()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var target = new FileInfo("/proc/self/fd/0").LinkTarget;
            return target is not null && (target.StartsWith("pipe:", StringComparison.Ordinal) || target.StartsWith("socket:", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task WaitForStdinEndAsync(TextWriter log, CancellationToken cancellationToken)
    {
        var opened = Stopwatch.StartNew();
        // A blocking read on a thread of its own: reading stdin asynchronously is not cancellable either.
        await Task.Factory.StartNew(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (!cancellationToken.IsCancellationRequested && stdin.Read(buffer, 0, buffer.Length) > 0) { }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (opened.Elapsed < StdinGrace)
        {
            // The launcher does not keep stdin open (jupyter_client closes it at once): nothing to watch here.
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        log.WriteLine("[kernel] stdin closed (the parent is gone); shutting down.");
    }
}
