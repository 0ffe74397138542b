using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mlm.Workbook.Tests.Platforms;

/// <summary>
/// The shared DynamoDB Local must outlive the process that starts it: VS Code ends a kernel's children (and Ctrl-C its
/// process group). These tests start a stand-in program the way DynamoDB Local is started, from a stand-in "kernel"
/// that leads a process group of its own, kill that whole group and its children, and check the program lives on.
/// </summary>
public class DetachedLaunchTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private static readonly HostPlatform Linux = new(HostOs.Linux, Architecture.X64);
    private static readonly HostPlatform MacOS = new(HostOs.MacOS, Architecture.Arm64);

    [Fact]
    public async Task On_Linux_the_program_survives_the_death_of_its_starters_whole_process_group() =>
        await SurvivesStarterGroupKill(DetachedLaunch.For(Linux, File.Exists, "/bin/sleep", ["300"], LogPath()));

    [Fact]
    public async Task On_macOS_without_setsid_perl_makes_the_session_and_the_program_survives_too()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/perl"), "perl (which macOS ships) is not installed here.");
        var plan = DetachedLaunch.For(MacOS, path => path == "/usr/bin/perl", "/bin/sleep", ["300"], LogPath());

        Assert.DoesNotContain(plan.Start.ArgumentList, argument => argument.EndsWith("setsid", StringComparison.Ordinal));
        await SurvivesStarterGroupKill(plan);
    }

    [Fact]
    public async Task The_program_is_no_child_of_the_process_that_starts_it_and_is_in_a_session_of_its_own()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads /proc.");
        var log = LogPath();
        using var program = await DetachedLaunch.StartAsync(DetachedLaunch.For(Linux, File.Exists, "/bin/sh", ["-c", "echo started; exec sleep 300"], log), Path.GetTempPath(), Cancel);
        try
        {
            // The launcher makes the session and then execs the program, which may take a moment on a busy machine.
            await WaitUntil(() => Stat(program.Id).Session == program.Id);
            var (parent, group, session) = Stat(program.Id);
            Assert.NotEqual(Environment.ProcessId, parent);
            Assert.Equal(program.Id, session);
            Assert.Equal(program.Id, group);
            await WaitUntil(() => DetachedLaunch.ReadAll([log]).Contains("started"));
        }
        finally
        {
            program.Kill();
            File.Delete(log);
        }
    }

    [Fact]
    public async Task The_shared_DynamoDB_Local_is_no_child_of_the_process_that_starts_it_and_is_in_a_session_of_its_own()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads /proc.");
        var port = 0;
        for (var candidate = 8600; candidate < 8700 && port == 0; candidate++)
            if (await DynamoDbLocal.ProbeAsync(candidate, Cancel) == PortState.Free) port = candidate;
        Assert.SkipWhen(port == 0, "No free port from 8600 to 8699.");
        var data = Directory.CreateTempSubdirectory("shared-dynamodb-");
        try
        {
            var instance = await DynamoDbLocal.EnsureRunningAsync(port, data.FullName, Cancel);
            Assert.True(instance.StartedNow);
            var (parent, group, session) = Stat(instance.ProcessId!.Value);

            Assert.NotEqual(Environment.ProcessId, parent);
            Assert.Equal(instance.ProcessId, session);
            Assert.Equal(instance.ProcessId, group);
            Assert.Contains("DynamoDBLocal.jar", File.ReadAllText($"/proc/{instance.ProcessId}/cmdline"));
        }
        finally
        {
            await DynamoDbLocal.StopAsync(port, data.FullName, Cancel);
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public void On_Windows_PowerShell_starts_it_with_each_argument_quoted_and_a_log_per_stream()
    {
        var windows = new HostPlatform(HostOs.Windows, Architecture.X64);
        var plan = DetachedLaunch.For(windows, _ => false, @"C:\Program Files\Java\jdk-17\bin\java.exe",
            [@"-Djava.library.path=C:\Users\Ana Lima\mlm\lib\node_modules\x\DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar", "-dbPath", @"C:\Users\Ana Lima\mlm\.dynamodb\8000\", "say \"hi\""],
            @"C:\Users\Ana Lima\mlm\.dynamodb\8000\dynamodb-local.log");

        Assert.Equal("powershell.exe", plan.Start.FileName);
        Assert.Contains(plan.Start.ArgumentList, argument => argument.Contains("Start-Process", StringComparison.Ordinal) && argument.Contains("-PassThru", StringComparison.Ordinal));
        Assert.Equal(@"C:\Program Files\Java\jdk-17\bin\java.exe", plan.Start.Environment["MLM_LAUNCH_PROGRAM"]);
        Assert.Equal(
            @"""-Djava.library.path=C:\Users\Ana Lima\mlm\lib\node_modules\x\DynamoDBLocal_lib"" -jar DynamoDBLocal.jar -dbPath ""C:\Users\Ana Lima\mlm\.dynamodb\8000\\"" ""say \""hi\""""",
            plan.Start.Environment["MLM_LAUNCH_ARGUMENTS"]);
        // Start-Process cannot send both streams to one file: the errors get a log of their own, and both are read.
        Assert.Equal([@"C:\Users\Ana Lima\mlm\.dynamodb\8000\dynamodb-local.log", @"C:\Users\Ana Lima\mlm\.dynamodb\8000\dynamodb-local.err.log"], plan.LogFiles);
    }

    [Theory]
    [InlineData(new[] { "a", "b c" }, "a \"b c\"")]
    [InlineData(new[] { "" }, "\"\"")]
    [InlineData(new[] { @"C:\a b\" }, @"""C:\a b\\""")]
    [InlineData(new[] { @"x\""y" }, @"""x\\\""y""")]
    public void Windows_command_lines_hand_each_argument_over_unchanged(string[] arguments, string expected) =>
        Assert.Equal(expected, DetachedLaunch.WindowsCommandLine(arguments));

    private static string LogPath() => Path.Combine(Path.GetTempPath(), $"detached-{Guid.NewGuid():N}.log");

    /// <summary>
    /// Runs the launcher from a stand-in kernel (a process group and session leader that stays alive, as a kernel
    /// does), then kills that kernel's whole process group and its children the way a front end does, and checks
    /// that the program the launcher started still runs.
    /// </summary>
    private static async Task SurvivesStarterGroupKill(DetachedLaunch.Plan plan)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/usr/bin/setsid"), "Needs Linux's setsid(1) to make the stand-in kernel.");
        var kernel = new ProcessStartInfo("/usr/bin/setsid") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in (string[])["/bin/sh", "-c", "\"$@\"; exec sleep 300", "kernel", plan.Start.FileName]) kernel.ArgumentList.Add(argument);
        foreach (var argument in plan.Start.ArgumentList) kernel.ArgumentList.Add(argument);
        foreach (var (name, value) in plan.Start.Environment) if (name.StartsWith("MLM_", StringComparison.Ordinal)) kernel.Environment[name] = value;

        using var starter = Process.Start(kernel)!;
        var pidLine = await starter.StandardOutput.ReadLineAsync(Cancel);
        var pid = int.Parse(pidLine!.Trim());
        try
        {
            Assert.NotEqual(starter.Id, pid);
            // The launcher prints the id as it starts the program in the background; the new session follows at once.
            await WaitUntil(() => Stat(pid).Group != starter.Id);
            // What VS Code and a terminal do: signal the kernel's process group, and end the kernel's process tree.
            Assert.Equal(0, kill(-starter.Id, 9));
            starter.Kill(entireProcessTree: true);
            await starter.WaitForExitAsync(Cancel);
            await Task.Delay(300, Cancel);

            Assert.True(ExternalProgram.IsRunning(pid), $"process {pid} died with its starter");
            Assert.NotEqual(starter.Id, Stat(pid).Parent);
        }
        finally
        {
            using var program = Process.GetProcessById(pid);
            program.Kill();
            foreach (var log in plan.LogFiles) File.Delete(log);
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50, Cancel);
        Assert.True(condition());
    }

    private static (int Parent, int Group, int Session) Stat(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1]), int.Parse(fields[2]), int.Parse(fields[3]));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
