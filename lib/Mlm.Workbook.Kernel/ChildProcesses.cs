using System.Diagnostics;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// Ends the processes a kernel started (and theirs) when the kernel ends. Children that made a session of their own
/// meant to outlive us and are left alone. (The shared DynamoDB Local is no child of the kernel at all: it is started
/// through a launcher that exits at once, see DetachedLaunch, because VS Code ends a kernel's children on a restart.)
/// </summary>
public static class ChildProcesses
{
    /// <summary>Kills each child in our session with its whole tree; returns how many children were ended.</summary>
    public static int KillOwn(TextWriter log)
    {
        if (!OperatingSystem.IsLinux()) return 0;
        var self = Environment.ProcessId;
        var ourSession = ReadStat(self)?.Session;
        var killed = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == self) continue;
            if (ReadStat(pid) is not { } stat || stat.Parent != self || stat.Session != ourSession) continue;
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
}
