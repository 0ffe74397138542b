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
}
