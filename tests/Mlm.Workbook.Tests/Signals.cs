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
            if (StatFields($"/proc/{pid}/stat")[0] == "T") return;
            await Task.Delay(20, cancellationToken);
        }
        throw new TimeoutException($"process {pid} did not stop within 10 s");
    }

    /// <summary>
    /// The fields of a /proc stat file (a process's or a thread's) after the command name: [0] is the state, field 3
    /// of proc(5), so field N is at [N - 3].
    /// </summary>
    public static string[] StatFields(string statFile)
    {
        var stat = File.ReadAllText(statFile);
        // The command name is in parentheses and may itself hold spaces and parentheses.
        return stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Whether a process exists and has not ended: a zombie (state Z) has ended and only waits to be reaped.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            return StatFields($"/proc/{pid}/stat")[0] != "Z";
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }
}
