using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Mlm.Workbook;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// Notices when the front end that started the kernel is gone: the process named by <c>JPY_PARENT_PID</c> has ended,
/// our parent process has changed (we were re-parented, as ipykernel checks on Unix), or a stdin pipe that the
/// parent kept open has closed. jupyter_client closes the kernel's stdin right after starting it, so an end of stdin
/// within the first seconds says nothing and is ignored. On Windows the parent is watched by its handle
/// (<c>JPY_PARENT_PID</c>) or its process id; the stdin watch is Linux's only.
/// </summary>
public static class ParentWatch
{
    private static readonly TimeSpan StdinGrace = TimeSpan.FromSeconds(2);

    /// <summary>Completes when the parent is gone; never completes when there is nothing to watch.</summary>
    public static Task WhenGoneAsync(TextWriter log, CancellationToken cancellationToken)
    {
        var watches = new List<Task>();
        if (OperatingSystem.IsWindows())
        {
            // On Windows JPY_PARENT_PID is a handle to the parent process (jupyter_client makes it inheritable).
            if (long.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var handle) && handle > 0 && GetProcessId((nint)handle) != 0)
                watches.Add(WaitForHandleAsync((nint)handle, log, cancellationToken));
            var ourStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
            if (ChildProcesses.WindowsParentOf(Environment.ProcessId) is { } parent and > 0)
                watches.Add(PollAsync(() => WindowsParentGone(parent, ourStart, StartTimeOf), log, cancellationToken));
        }
        else
        {
            var named = int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var pid) && pid > 1 ? pid : (int?)null;
            var originalParent = getppid();
            watches.Add(PollAsync(() => UnixParentGone(named, originalParent, getppid(), ExternalProgram.IsRunning), log, cancellationToken));
        }
        if (StdinIsPipe())
            watches.Add(WaitForStdinEndAsync(log, cancellationToken));
        return watches.Count == 0 ? Task.Delay(Timeout.Infinite, cancellationToken) : Task.WhenAny(watches).Unwrap();
    }

    [DllImport("libc")]
    private static extern int getppid();

    [DllImport("kernel32.dll")]
    private static extern int GetProcessId(nint process);

    /// <summary>Why the parent is gone on Unix, or null while it is there: the named parent ended, or we were re-parented.</summary>
    internal static string? UnixParentGone(int? named, int originalParent, int currentParent, Func<int, bool> isRunning)
    {
        if (named is { } pid && !isRunning(pid)) return $"parent process {pid} (JPY_PARENT_PID) has ended";
        if (currentParent != originalParent) return $"parent process {originalParent} has ended";
        return null;
    }

    /// <summary>
    /// Why the parent is gone on Windows, or null while it is there. Windows never re-parents a process and reuses ids
    /// at once, so the parent is gone when its id names no process, or a process that started after us.
    /// </summary>
    internal static string? WindowsParentGone(int parent, DateTime ourStartUtc, Func<int, DateTime?> startTimeUtcOf) =>
        startTimeUtcOf(parent) switch
        {
            null => $"parent process {parent} has ended",
            { } started when started > ourStartUtc => $"parent process {parent} has ended (its id now names a newer process)",
            _ => null,
        };

    private static DateTime? StartTimeOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime.ToUniversalTime();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return DateTime.MinValue; // there, but not ours to inspect: take it as alive
        }
    }

    private static async Task PollAsync(Func<string?> gone, TextWriter log, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (gone() is { } reason)
            {
                log.WriteLine($"[kernel] {reason}; shutting down.");
                return;
            }
        }
    }

    private static async Task WaitForHandleAsync(nint handle, TextWriter log, CancellationToken cancellationToken)
    {
        using var parent = new ManualResetEvent(false) { SafeWaitHandle = new SafeWaitHandle(handle, ownsHandle: false) };
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = ThreadPool.RegisterWaitForSingleObject(parent, (_, _) => ended.TrySetResult(), null, Timeout.Infinite, executeOnlyOnce: true);
        try
        {
            await ended.Task.WaitAsync(cancellationToken);
            log.WriteLine("[kernel] the parent process (JPY_PARENT_PID) has ended; shutting down.");
        }
        finally
        {
            registration.Unregister(null);
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
