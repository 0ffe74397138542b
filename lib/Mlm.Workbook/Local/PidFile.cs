using System.Diagnostics;
using System.Globalization;

namespace Mlm.Workbook;

/// <summary>
/// The record of a shared DynamoDB Local this workbook started: <c>dynamodb-local.pid</c> in its data folder, holding the
/// process id, the process's start time and the port. A process is taken to be that instance only when all three still
/// match — its command line runs DynamoDB Local on that port, it started when recorded, and it holds the port — so a
/// stale or forged file never leads to signalling an unrelated process.
/// </summary>
internal sealed record PidFile(int ProcessId, string? StartTime, int Port)
{
    public const string FileName = "dynamodb-local.pid";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Records a process just started; all at once, so that a reader never sees half a record.</summary>
    public static void Write(string dataDirectory, int processId, int port) =>
        AtomicFile.WriteAllText(PathIn(dataDirectory), string.Join("\n",
            processId.ToString(CultureInfo.InvariantCulture), StartTimeOf(processId) ?? "", port.ToString(CultureInfo.InvariantCulture)) + "\n");

    /// <summary>The record in a folder, or null when there is none or it cannot be read.</summary>
    public static PidFile? Read(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllText(path).Split('\n', StringSplitOptions.TrimEntries);
        if (!int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid < 1) return new PidFile(0, null, 0);
        var startTime = lines.Length > 1 && lines[1].Length > 0 ? lines[1] : null;
        var port = lines.Length > 2 && int.TryParse(lines[2], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        return new PidFile(pid, startTime, port);
    }

    public static void Delete(string dataDirectory) => File.Delete(PathIn(dataDirectory));

    /// <summary>Why the recorded process is not (or no longer) the DynamoDB Local on <paramref name="port"/>; null when it is.</summary>
    public string? Mismatch(int port)
    {
        if (ProcessId < 1) return "the file does not hold a process id";
        if (Port != 0 && Port != port) return $"it records port {Port}, not {port}";
        if (!ExternalProgram.IsRunning(ProcessId)) return $"process {ProcessId} is not running";
        if (StartTimeOf(ProcessId) is { } actual && StartTime is not null && actual != StartTime)
            return $"process {ProcessId} started at another time than the recorded one, so it is another process that reuses the id";
        if (CommandLineOf(ProcessId) is { } commandLine)
        {
            var runsJar = commandLine.Any(a => a.EndsWith(DynamoDbLocalPackage.JarName, StringComparison.Ordinal));
            var portIndex = commandLine.IndexOf("-port");
            if (!runsJar || portIndex < 0 || portIndex + 1 >= commandLine.Count || commandLine[portIndex + 1] != port.ToString(CultureInfo.InvariantCulture))
                return $"process {ProcessId} is not DynamoDB Local on port {port} (it runs {Shorten(string.Join(' ', commandLine))})";
        }
        if (HoldsPort(ProcessId, port) == false) return $"process {ProcessId} does not hold port {port}";
        return null;
    }

    /// <summary>When a process started, as text that is equal for equal processes; null when unknown.</summary>
    private static string? StartTimeOf(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            // Field 22 of /proc/PID/stat, in clock ticks since boot; the command name (field 2) may hold spaces, so count after ')'.
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
                return fields.Length > 19 ? "ticks:" + fields[19] : null;
            }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return "utc:" + process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static List<string>? CommandLineOf(int pid)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether a process holds a listening TCP socket on a port; null when this cannot be told (not Linux).</summary>
    private static bool? HoldsPort(int pid, int port)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != "0A") continue; // 0A: LISTEN
                var local = fields[1];
                if (int.Parse(local.Substring(local.LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                    inodes.Add(fields[9]);
            }
        }
        try
        {
            foreach (var descriptor in Directory.EnumerateFiles($"/proc/{pid}/fd"))
            {
                var target = new FileInfo(descriptor).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1])) return true;
            }
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 80) + "…";
}
