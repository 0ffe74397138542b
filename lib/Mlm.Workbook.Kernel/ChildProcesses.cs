using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// Ends the processes a kernel started (and theirs) when the kernel ends. On Linux, children that made a session of
/// their own meant to outlive us and are left alone. (The shared DynamoDB Local is no child of the kernel at all: it is
/// started through a launcher that exits at once, see DetachedLaunch, because VS Code ends a kernel's children on a
/// restart.) Linux reads /proc; Windows takes a snapshot of the process list (Toolhelp); macOS asks ps.
/// </summary>
public static class ChildProcesses
{
    /// <summary>One process as the system lists it.</summary>
    /// <param name="Id">Its id.</param>
    /// <param name="Parent">Its parent's id.</param>
    /// <param name="Session">Its session id on Linux; null where sessions do not tell anything (Windows).</param>
    internal readonly record struct Entry(int Id, int Parent, int? Session);

    /// <summary>Kills each child in our session with its whole tree; returns how many children were ended.</summary>
    public static int KillOwn(TextWriter log)
    {
        IReadOnlyList<Entry>? processes = OperatingSystem.IsLinux() ? LinuxProcesses()
            : OperatingSystem.IsWindows() ? WindowsProcesses()
            : OperatingSystem.IsMacOS() ? MacOSProcesses() : null;
        if (processes is null) return 0;
        var killed = 0;
        foreach (var pid in OwnChildren(Environment.ProcessId, processes))
        {
            try
            {
                using var child = Process.GetProcessById(pid);
                child.Kill(entireProcessTree: true);
                killed++;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                log.WriteLine($"[kernel] could not end child process {pid}: {e.Message}");
            }
        }
        return killed;
    }

    /// <summary>The children of <paramref name="self"/> that share its session (any child, where there are no sessions).</summary>
    internal static IReadOnlyList<int> OwnChildren(int self, IReadOnlyList<Entry> processes)
    {
        var ourSession = processes.FirstOrDefault(p => p.Id == self).Session;
        return processes.Where(p => p.Id != self && p.Parent == self && p.Session == ourSession).Select(p => p.Id).ToList();
    }

    private static List<Entry> LinuxProcesses()
    {
        var entries = new List<Entry>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(directory), out var pid) && ReadStat(pid) is { } stat)
                entries.Add(new Entry(pid, stat.Parent, stat.Session));
        return entries;
    }

    /// <summary>The parent and session ids from /proc/PID/stat (after the parenthesised command name, which may hold spaces).</summary>
    private static (int Parent, int Session)? ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields: state, ppid, pgrp, session, ...
            return (int.Parse(fields[1]), int.Parse(fields[3]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Every process with its parent, from <c>ps</c> (macOS has no /proc); null when ps cannot be run.</summary>
    private static IReadOnlyList<Entry>? MacOSProcesses()
    {
        try
        {
            var start = new ProcessStartInfo("/bin/ps") { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var argument in (string[])["-A", "-o", "pid=", "-o", "ppid="]) start.ArgumentList.Add(argument);
            using var ps = Process.Start(start)!;
            var output = ps.StandardOutput.ReadToEnd();
            return ps.WaitForExit(5000) && ps.ExitCode == 0 ? ParsePs(output) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Reads <c>ps -A -o pid= -o ppid=</c> output: one "PID PPID" pair a line.</summary>
    internal static IReadOnlyList<Entry> ParsePs(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 2 && int.TryParse(fields[0], out _) && int.TryParse(fields[1], out _))
            .Select(fields => new Entry(int.Parse(fields[0]), int.Parse(fields[1]), null))
            .ToList();

    /// <summary>Every process with its parent, from a Toolhelp snapshot (Windows has no /proc, and Process has no parent id).</summary>
    private static List<Entry>? WindowsProcesses()
    {
        const uint SnapProcesses = 0x2;
        var snapshot = CreateToolhelp32Snapshot(SnapProcesses, 0);
        if (snapshot == -1) return null;
        try
        {
            var entries = new List<Entry>();
            var entry = new ProcessEntry32 { Size = (uint)Marshal.SizeOf<ProcessEntry32>() };
            for (var more = Process32First(snapshot, ref entry); more; more = Process32Next(snapshot, ref entry))
                entries.Add(new Entry((int)entry.ProcessId, (int)entry.ParentProcessId, null));
            return entries;
        }
        finally
        {
            CloseHandle(snapshot);
        }
    }

    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    private struct ProcessEntry32
    {
        public uint Size;
        public uint Usage;
        public uint ProcessId;
        public IntPtr DefaultHeapId;
        public uint ModuleId;
        public uint Threads;
        public uint ParentProcessId;
        public int PriorityClassBase;
        public uint Flags;
        [MarshalAs(UnmanagedType.ByValTStr, SizeConst = 260)]
        public string ExeFile;
    }

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern nint CreateToolhelp32Snapshot(uint flags, uint processId);

    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode, EntryPoint = "Process32FirstW")]
    private static extern bool Process32First(nint snapshot, ref ProcessEntry32 entry);

    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode, EntryPoint = "Process32NextW")]
    private static extern bool Process32Next(nint snapshot, ref ProcessEntry32 entry);

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern bool CloseHandle(nint handle);

    /// <summary>The parent of a process on Windows, from the same snapshot; null when it is not listed.</summary>
    internal static int? WindowsParentOf(int processId) =>
        WindowsProcesses()?.FirstOrDefault(p => p.Id == processId) is { Id: > 0 } found ? found.Parent : null;
}
