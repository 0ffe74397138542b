using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mlm.Workbook.Cli;

/// <summary>
/// How <c>grade</c> starts the process that grades one hand-in, and how it ends it. The process is this CLI's own
/// <c>grade-one</c> verb, started with the same <c>dotnet</c> and <c>mlm.dll</c>, in the hand-in's stage folder (its
/// working directory: no path on its command line), with an environment of only what it needs, in a process group of
/// its own that is killed whole when it is done.
/// <para>
/// Where Linux lets an unprivileged user make namespaces (probed once; <c>unshare</c> from util-linux), it also runs in a
/// PID namespace of its own (it sees no other process, and every process it starts dies with it), and in a mount
/// namespace where the other hand-ins' folders and the other stages are covered by empty file systems, and this CLI,
/// the .NET runtime and the repository are read-only. Those mounts are made in an outer namespace and the hand-in runs
/// in an inner one, so the kernel locks them: it cannot unmount or remount them. Given a local DynamoDB to reach, it
/// also gets a network namespace with only its loopback, and reaches DynamoDB through <see cref="SocketRelay"/>. Elsewhere it falls back, silently, to
/// the process group alone. Written by hand because no .NET library sets up namespaces.
/// </para>
/// </summary>
internal static class GradeSandbox
{
    private const string Unshare = "/usr/bin/unshare";
    private const string Setsid = "/usr/bin/setsid";

    /// <summary>The file in a stage that lists folders to cover, one a line; removed before the hand-in runs.</summary>
    public const string HideList = ".mlm-hide";

    /// <summary>The file in a stage that lists folders to make read-only, one a line; removed before the hand-in runs.</summary>
    public const string ReadOnlyList = ".mlm-read-only";

    private static readonly Lazy<bool> NamespacesWork = new(Probe);

    // Run by the outer namespace's first process, in the stage: cover, make read-only, put the stage back where it was
    // under an emptied stage root, then start the hand-in's process in an inner namespace where those mounts are locked.
    private const string Setup = """
        set -e
        root=$1; name=$2; shift 2
        if [ "$MLM_GRADE_NETWORK" = none ]; then PATH=/usr/sbin:/sbin:$PATH ip link set lo up; fi
        unset MLM_GRADE_NETWORK
        while IFS= read -r d; do if [ -d "$d" ]; then mount -t tmpfs -o size=4k,mode=000 mlm-hidden "$d"; fi; done < .mlm-hide
        while IFS= read -r d; do if [ -d "$d" ]; then mount --bind "$d" "$d"; mount -o remount,bind,ro "$d"; fi; done < .mlm-read-only
        rm -f .mlm-hide .mlm-read-only
        mount -t tmpfs -o size=4k,mode=700 mlm-stages "$root"
        mkdir "$root/$name"
        mount --no-canonicalize --bind /proc/self/cwd "$root/$name"
        cd "$root/$name"
        exec /usr/bin/unshare --user --map-root-user --mount -- "$@"
        """;

    /// <summary>Whether hand-ins run in namespaces of their own here.</summary>
    public static bool UsesNamespaces => NamespacesWork.Value;

    /// <summary>The .NET host that runs this CLI (<c>dotnet</c>) and the CLI's assembly.</summary>
    public static (string Host, string Assembly) Self()
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        if (!File.Exists(host)) host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        return (host, Path.Combine(AppContext.BaseDirectory, "mlm.dll"));
    }

    /// <summary>The folder the .NET host is in (DOTNET_ROOT for the child).</summary>
    public static string DotnetRoot => Path.GetDirectoryName(Path.GetFullPath(Self().Host)) ?? "";

    /// <summary>
    /// The start of a grading process in <paramref name="stage"/>, a folder directly under <paramref name="stageRoot"/>:
    /// <c>dotnet mlm.dll ARGS</c> with exactly <paramref name="environment"/>. With namespaces and
    /// <paramref name="noNetwork"/>, it also gets a network namespace with nothing in it but its loopback.
    /// </summary>
    public static ProcessStartInfo StartInfo(string stageRoot, string stage, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment,
        bool noNetwork)
    {
        var (host, assembly) = Self();
        var command = new List<string> { host, assembly };
        command.AddRange(arguments);
        if (!OperatingSystem.IsWindows())
        {
            if (UsesNamespaces)
                command = [Unshare, "--user", "--map-root-user", "--pid", "--fork", "--mount-proc", "--kill-child", .. noNetwork ? new[] { "--net" } : [], "--",
                    "/bin/sh", "-c", Setup, "mlm-grade", stageRoot, Path.GetFileName(stage), .. command];
            // A session (and so a process group) of its own: Ctrl-C in the terminal does not reach it, and it is killed whole.
            if (File.Exists(Setsid)) command.Insert(0, Setsid);
        }
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = stage,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var (name, value) in environment) start.Environment[name] = value;
        if (UsesNamespaces && noNetwork) start.Environment["MLM_GRADE_NETWORK"] = "none";
        return start;
    }

    /// <summary>Kills a grading process and every process it started: its process group (and with it its PID namespace), then its tree.</summary>
    public static void KillTree(Process process)
    {
        int id;
        try
        {
            id = process.Id;
        }
        catch (InvalidOperationException)
        {
            return; // never started
        }
        if (!OperatingSystem.IsWindows() && File.Exists(Setsid)) _ = Kill(-id, SigKill); // setsid made it its group's leader
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Whether the namespaces and mounts above work for this user (tried once, in a scratch folder).</summary>
    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Unshare) || !File.Exists(Setsid) || !File.Exists("/bin/sh")) return false;
        var scratch = Directory.CreateTempSubdirectory("mlm-grade-probe-").FullName;
        try
        {
            var stage = Directory.CreateDirectory(Path.Combine(scratch, "stage")).FullName;
            var covered = Directory.CreateDirectory(Path.Combine(scratch, "covered")).FullName;
            File.WriteAllText(Path.Combine(stage, HideList), covered + "\n");
            File.WriteAllText(Path.Combine(stage, ReadOnlyList), stage + "\n");
            var start = new ProcessStartInfo(Unshare)
            {
                UseShellExecute = false, WorkingDirectory = stage, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            start.Environment["MLM_GRADE_NETWORK"] = "none";
            foreach (var argument in new[] { "--user", "--map-root-user", "--pid", "--fork", "--mount-proc", "--kill-child", "--net", "--",
                         "/bin/sh", "-c", Setup, "mlm-grade", scratch, "stage", "/bin/sh", "-c", "test -w . && test ! -e \"$0\" && test ! -e ../covered", Path.Combine(covered, "x") })
                start.ArgumentList.Add(argument);
            File.WriteAllText(Path.Combine(covered, "x"), "");
            using var process = Process.Start(start);
            if (process is null) return false;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(15_000))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
    }
}
