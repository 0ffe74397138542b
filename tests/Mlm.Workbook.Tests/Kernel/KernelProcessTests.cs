using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Mlm.Workbook.Tests.Kernel;

/// <summary>
/// The real kernel process with the real C# session, started from the kernelspec `mlm kernel install` writes:
/// the protocol's own conformance suite, signatures, binding, interrupts and the end of the kernel's life.
/// </summary>
public partial class KernelProcessTests
{
    [Fact]
    public async Task The_conformance_suite_passes_against_the_installed_kernelspec()
    {
        Requires.Python("jupyter_kernel_test", "jupyter_client", "zmq");
        var data = await KernelProcess.InstallAsync();
        try
        {
            var environment = new Dictionary<string, string> { ["JUPYTER_PATH"] = data, ["PYTHONPATH"] = Path.GetDirectoryName(KernelProbe.Script("conformance.py"))! };
            var (exitCode, _, errors) = await Jupyter.RunPythonAsync(["-m", "unittest", "-v", "conformance"], environment, TimeSpan.FromMinutes(5));
            Assert.True(exitCode == 0, errors);
            // The checks this suite must actually have run (a sample it skips proves nothing).
            foreach (var test in new[] { "test_kernel_info", "test_execute_stdout", "test_execute_stderr", "test_execute_result", "test_display_data",
                                         "test_error", "test_completion", "test_inspect", "test_is_complete" })
                Assert.Matches(new Regex($@"{test} \(conformance\.CSharpKernelTests\.{test}\) \.\.\. ok"), errors);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_forged_request_is_not_executed_but_the_same_request_signed_is()
    {
        await using var kernel = await KernelProcess.StartAsync();
        var marker = Path.Combine(kernel.Connection.Folder, "forged.txt");
        var cell = $"System.IO.File.WriteAllText(@\"{marker}\", \"executed\");";

        var forged = await KernelProbe.RunAsync("forged", kernel.Connection.Path, cell);
        Assert.False(forged.GetProperty("forged_answered").GetBoolean());
        Assert.Equal("ok", forged.GetProperty("kernel_info").GetString());
        var signed = await KernelProbe.RunAsync("execute", kernel.Connection.Path, "1 + 1");
        Assert.Equal("ok", signed.GetProperty("cells")[0].GetProperty("reply").GetProperty("content").GetProperty("status").GetString());
        Assert.False(File.Exists(marker), "a forged or unsigned execute_request ran");

        // The same cell, properly signed, does create the file: the check above can fail.
        await KernelProbe.RunAsync("execute", kernel.Connection.Path, cell);
        Assert.True(File.Exists(marker));
    }

    [Fact]
    public async Task The_kernel_process_listens_on_loopback_only_and_survives_garbage()
    {
        await using var kernel = await KernelProcess.StartAsync();
        var garbage = await KernelProbe.RunAsync("garbage", kernel.Connection.Path);
        Assert.Equal("ok", garbage.GetProperty("shell").GetString());
        Assert.Equal("ok", garbage.GetProperty("control").GetString());
        Assert.Equal("ping", garbage.GetProperty("heartbeat").GetString());
        // A cell has run, so anything the session opens is open too.
        await KernelProbe.RunAsync("execute", kernel.Connection.Path, "Console.WriteLine(1);");

        var listening = ListeningSockets.OwnedBy(kernel.Pid);
        Assert.Equal(kernel.Connection.Ports.Order(), listening.Select(s => s.Port).Distinct().Order());
        Assert.All(listening, s => Assert.True(s.IsLoopback, $"the kernel listens on {s.Address}:{s.Port}"));
        Assert.False(kernel.HasExited);
    }

    [Theory]
    [InlineData("message")]
    [InlineData("signal")]
    public async Task A_waiting_cell_is_interrupted_at_once_and_the_next_cell_runs(string how)
    {
        await using var kernel = await KernelProcess.StartAsync();
        var result = await KernelProbe.RunAsync("interrupt", kernel.Connection.Path, "Console.WriteLine(\"waiting\");\nawait Task.Delay(60000);", "6 * 7",
            how == "message" ? "message" : $"signal:{kernel.Pid}");

        var reply = result.GetProperty("reply").GetProperty("content");
        Assert.Equal("error", reply.GetProperty("status").GetString());
        Assert.Contains("error", KernelProbe.Types(result.GetProperty("iopub")));
        // Measured from sending the interrupt to the execute_reply; the cell would otherwise wait 60 s.
        var seconds = result.GetProperty("seconds_after_interrupt").GetDouble();
        Assert.True(seconds < 5, $"the interrupted cell replied {seconds} s after the interrupt");
        var next = result.GetProperty("next");
        Assert.Equal("ok", next.GetProperty("reply").GetProperty("content").GetProperty("status").GetString());
        Assert.Contains(next.GetProperty("iopub").EnumerateArray(), m => m.GetProperty("type").GetString() == "execute_result"
            && m.GetProperty("content").GetProperty("data").GetProperty("text/plain").GetString() == "42");
        Assert.False(kernel.HasExited);
    }

    [Fact]
    public async Task A_cell_reads_the_line_the_front_end_answers_and_fails_plainly_where_input_is_not_allowed()
    {
        await using var kernel = await KernelProcess.StartAsync();
        var result = await KernelProbe.RunAsync("input", kernel.Connection.Path, "Console.Write(\"Member id: \");\nvar id = Console.ReadLine();\nid + \"!\"", "042");

        Assert.Equal("input_request", result.GetProperty("input_request").GetProperty("type").GetString());
        Assert.Equal("ok", result.GetProperty("reply").GetProperty("content").GetProperty("status").GetString());
        var iopub = result.GetProperty("iopub").EnumerateArray().ToList();
        Assert.Contains(iopub, m => m.GetProperty("type").GetString() == "stream" && m.GetProperty("content").GetProperty("text").GetString() == "Member id: ");
        Assert.Contains(iopub, m => m.GetProperty("type").GetString() == "execute_result"
            && m.GetProperty("content").GetProperty("data").GetProperty("text/plain").GetString() == "042!");

        var refused = result.GetProperty("refused").GetProperty("reply").GetProperty("content");
        Assert.Equal("error", refused.GetProperty("status").GetString());
        Assert.Contains("nobody can answer", refused.GetProperty("evalue").GetString());
    }

    [Fact]
    public async Task An_interrupt_ends_a_wait_for_input_and_the_next_cell_runs()
    {
        await using var kernel = await KernelProcess.StartAsync();
        // The probe allows input but never answers: only the interrupt can end the cell.
        var result = await KernelProbe.RunAsync("interrupt", kernel.Connection.Path, "Console.WriteLine(\"asking\");\nvar answer = Console.ReadLine();", "6 * 7", "message");

        var error = result.GetProperty("iopub").EnumerateArray().Single(m => m.GetProperty("type").GetString() == "error");
        Assert.Equal("The cell was interrupted.", error.GetProperty("content").GetProperty("evalue").GetString());
        Assert.True(result.GetProperty("seconds_after_interrupt").GetDouble() < 5, $"took {result.GetProperty("seconds_after_interrupt")} s after the interrupt");
        Assert.Equal("ok", result.GetProperty("next").GetProperty("reply").GetProperty("content").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_loop_that_never_awaits_is_reported_as_still_running_and_shutdown_still_ends_the_kernel()
    {
        await using var kernel = await KernelProcess.StartAsync();
        var result = await KernelProbe.RunAsync("interrupt", kernel.Connection.Path, "Console.WriteLine(\"spinning\");\nvar spins = 0L;\nwhile (true) { spins++; }", "6 * 7", "message");

        var error = result.GetProperty("iopub").EnumerateArray().Single(m => m.GetProperty("type").GetString() == "error");
        Assert.Contains("still running", error.GetProperty("content").GetProperty("evalue").GetString());
        Assert.Contains("Restart the kernel", error.GetProperty("content").GetProperty("evalue").GetString());
        Assert.Equal("ok", result.GetProperty("next").GetProperty("reply").GetProperty("content").GetProperty("status").GetString());

        // What a front end's restart does first: shut the kernel down, which must end it although a thread still spins.
        await KernelProbe.RunAsync("shutdown", kernel.Connection.Path);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!kernel.HasExited && DateTime.UtcNow < deadline) await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.True(kernel.HasExited, "the kernel did not end after shutdown");
    }

    [Fact]
    public async Task Shutdown_ends_the_kernel_and_the_processes_its_cells_started()
    {
        await using var kernel = await KernelProcess.StartAsync();
        var started = await KernelProbe.RunAsync("execute", kernel.Connection.Path, "System.Diagnostics.Process.Start(\"sleep\", \"300\").Id");
        var result = started.GetProperty("cells")[0].GetProperty("iopub").EnumerateArray().Single(m => m.GetProperty("type").GetString() == "execute_result");
        var child = int.Parse(result.GetProperty("content").GetProperty("data").GetProperty("text/plain").GetString()!);
        Assert.True(Signals.IsAlive(child));

        var shutdown = await KernelProbe.RunAsync("shutdown", kernel.Connection.Path);
        Assert.True(shutdown.GetProperty("reply").GetProperty("content").GetProperty("restart").GetBoolean());
        Assert.True(await kernel.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the kernel did not exit after shutdown_request");
        Assert.False(Signals.IsAlive(child), $"the cell's child process {child} outlived the kernel");
    }

    [Fact]
    public async Task The_kernel_ends_when_its_parent_process_does()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "300"))!;
        await using var kernel = await KernelProcess.StartAsync(parentPid: parent.Id);
        await KernelProbe.RunAsync("status", kernel.Connection.Path);
        Assert.False(kernel.HasExited);

        parent.Kill();
        Assert.True(await kernel.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the kernel outlived JPY_PARENT_PID");
        Assert.Contains("JPY_PARENT_PID", await kernel.ErrorsAsync());
    }
}
