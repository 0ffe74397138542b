using System.Runtime.InteropServices;

namespace Mlm.Workbook.Tests;

/// <summary>Sends POSIX signals by number (Process.Kill only sends SIGKILL).</summary>
internal static class Signals
{
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>Waits until a process is stopped (state T in /proc), since a signal is delivered some time after kill returns.</summary>
    public static async Task WaitUntilStoppedAsync(int pid, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state follows the command name, which is in parentheses and may itself hold spaces.
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('T')) return;
            await Task.Delay(20, cancellationToken);
        }
        throw new TimeoutException($"process {pid} did not stop within 10 s");
    }
}
