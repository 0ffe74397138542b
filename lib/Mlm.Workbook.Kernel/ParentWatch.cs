using System.Diagnostics;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// Notices when the front end that started the kernel is gone: the process named by <c>JPY_PARENT_PID</c> has
/// ended, or the stdin pipe it gave us has closed (jupyter_client and VS Code both start kernels with a stdin pipe).
/// </summary>
public static class ParentWatch
{
    /// <summary>Completes when the parent is gone; never completes when there is nothing to watch.</summary>
    public static Task WhenGoneAsync(TextWriter log, CancellationToken cancellationToken)
    {
        var watches = new List<Task>();
        // On Windows JPY_PARENT_PID is a handle, not a process id.
        if (!OperatingSystem.IsWindows() && int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var parent) && parent > 1)
            watches.Add(PollProcessAsync(parent, log, cancellationToken));
        if (StdinIsPipe())
            watches.Add(WaitForStdinEndAsync(log, cancellationToken));
        return watches.Count == 0 ? Task.Delay(Timeout.Infinite, cancellationToken) : Task.WhenAny(watches).Unwrap();
    }

    private static async Task PollProcessAsync(int pid, TextWriter log, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (IsRunning(pid)) continue;
            log.WriteLine($"[kernel] parent process {pid} has ended; shutting down.");
            return;
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
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

    private static Task WaitForStdinEndAsync(TextWriter log, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (!cancellationToken.IsCancellationRequested && stdin.Read(buffer, 0, buffer.Length) > 0) { }
            if (!cancellationToken.IsCancellationRequested) log.WriteLine("[kernel] stdin closed (the parent is gone); shutting down.");
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
