using System.Globalization;
using System.Text.Json;

namespace Mlm.Workbook.Tests.Kernel;

/// <summary>
/// The kernel's transport and protocol, spoken to by jupyter_client (tests/kernel/probe.py) as a front end would,
/// in front of a scripted engine so that only the kernel's own behaviour is measured.
/// </summary>
public class KernelProtocolTests
{
    [Fact]
    public async Task Kernel_info_is_answered_on_shell_and_control_between_busy_and_idle_with_the_request_as_parent()
    {
        await using var kernel = new InProcessKernel();
        var result = await KernelProbe.RunAsync("status", kernel.Connection.Path);
        foreach (var channel in new[] { "shell", "control" })
        {
            var probe = result.GetProperty(channel);
            var content = probe.GetProperty("reply").GetProperty("content");
            Assert.Equal("kernel_info_reply", probe.GetProperty("reply").GetProperty("type").GetString());
            Assert.Equal("5.3", content.GetProperty("protocol_version").GetString());
            Assert.Equal("C#", content.GetProperty("language_info").GetProperty("name").GetString());
            Assert.Equal("text/x-csharp", content.GetProperty("language_info").GetProperty("mimetype").GetString());
            Assert.Equal(["status", "status"], KernelProbe.Types(probe.GetProperty("iopub")));
            Assert.Equal(["busy", "idle"], probe.GetProperty("iopub").EnumerateArray().Select(m => m.GetProperty("content").GetProperty("execution_state").GetString()));
        }
    }

    [Fact]
    public async Task Execute_publishes_input_streams_displays_results_and_errors_and_counts_executions_after_errors()
    {
        await using var kernel = new InProcessKernel();
        var result = await KernelProbe.RunAsync("execute", kernel.Connection.Path, "print:hello, world\nwarn:careful\ndisplay\nupdate\nresult", "fail", "print:after");
        var cells = result.GetProperty("cells").EnumerateArray().ToArray();

        var first = cells[0];
        Assert.Equal("ok", first.GetProperty("reply").GetProperty("content").GetProperty("status").GetString());
        Assert.Equal(1, first.GetProperty("reply").GetProperty("content").GetProperty("execution_count").GetInt32());
        Assert.Equal(["status", "execute_input", "stream", "stream", "display_data", "update_display_data", "execute_result", "status"], KernelProbe.Types(first.GetProperty("iopub")));
        var iopub = first.GetProperty("iopub").EnumerateArray().ToArray();
        Assert.Equal("hello, world\n", iopub[2].GetProperty("content").GetProperty("text").GetString());
        Assert.Equal("stderr", iopub[3].GetProperty("content").GetProperty("name").GetString());
        Assert.Equal("d-1", iopub[4].GetProperty("content").GetProperty("transient").GetProperty("display_id").GetString());
        Assert.True(iopub[4].GetProperty("content").GetProperty("data").TryGetProperty("application/vnd.plotly.v1+json", out var plotly) && plotly.ValueKind == JsonValueKind.Object);
        Assert.Equal("d-1", iopub[5].GetProperty("content").GetProperty("transient").GetProperty("display_id").GetString());
        Assert.Equal(1, iopub[6].GetProperty("content").GetProperty("execution_count").GetInt32());
        Assert.Equal("<b>42</b>", iopub[6].GetProperty("content").GetProperty("data").GetProperty("text/html").GetString());

        var failed = cells[1].GetProperty("reply").GetProperty("content");
        Assert.Equal("error", failed.GetProperty("status").GetString());
        Assert.Equal("InvalidOperationException", failed.GetProperty("ename").GetString());
        Assert.Equal(2, failed.GetProperty("execution_count").GetInt32());
        Assert.Contains("error", KernelProbe.Types(cells[1].GetProperty("iopub")));

        Assert.Equal(3, cells[2].GetProperty("reply").GetProperty("content").GetProperty("execution_count").GetInt32());
    }

    [Fact]
    public async Task A_silent_cell_publishes_nothing_and_neither_it_nor_an_unstored_one_advances_the_count()
    {
        await using var kernel = new InProcessKernel();
        var result = await KernelProbe.RunAsync("quiet", kernel.Connection.Path, "print:quiet\nresult", "print:loud");
        Assert.Equal(["status", "status"], KernelProbe.Types(result.GetProperty("silent").GetProperty("iopub")));
        Assert.Equal(["status", "execute_input", "stream", "execute_result", "status"], KernelProbe.Types(result.GetProperty("unstored").GetProperty("iopub")));
        Assert.Equal(0, result.GetProperty("unstored").GetProperty("reply").GetProperty("content").GetProperty("execution_count").GetInt32());
        Assert.Equal(1, result.GetProperty("next").GetProperty("reply").GetProperty("content").GetProperty("execution_count").GetInt32());
    }

    [Fact]
    public async Task A_long_cell_shows_its_output_while_it_runs()
    {
        await using var kernel = new InProcessKernel();
        // Three ticks 0.7 s apart: the first must arrive on iopub well before the cell ends.
        var cell = (await KernelProbe.RunAsync("execute", kernel.Connection.Path, "drip:3")).GetProperty("cells")[0];
        var streams = cell.GetProperty("iopub").EnumerateArray().Where(m => m.GetProperty("type").GetString() == "stream").ToArray();
        var idle = cell.GetProperty("iopub").EnumerateArray().Last().GetProperty("seconds").GetDouble();
        Assert.True(streams.Length >= 2, $"expected the ticks as separate stream messages, got {streams.Length}");
        Assert.True(idle - streams[0].GetProperty("seconds").GetDouble() >= 1.0,
            $"first output at {streams[0].GetProperty("seconds")} s, cell ended at {idle.ToString(CultureInfo.InvariantCulture)} s");
        Assert.Equal("tick 0\ntick 1\ntick 2\n", string.Concat(streams.Select(s => s.GetProperty("content").GetProperty("text").GetString())));
    }

    [Fact]
    public async Task A_message_with_a_wrong_or_no_signature_is_dropped_not_executed()
    {
        await using var kernel = new InProcessKernel();
        var marker = Path.Combine(kernel.Connection.Folder, "executed.txt");
        var result = await KernelProbe.RunAsync("forged", kernel.Connection.Path, $"touch:{marker}");
        Assert.False(result.GetProperty("forged_answered").GetBoolean());
        Assert.Equal("ok", result.GetProperty("kernel_info").GetString());
        Assert.False(File.Exists(marker), "a forged execute_request ran");
        Assert.Contains("wrong signature", kernel.Log);
    }

    [Fact]
    public async Task Garbage_on_every_socket_leaves_the_kernel_answering()
    {
        await using var kernel = new InProcessKernel();
        var result = await KernelProbe.RunAsync("garbage", kernel.Connection.Path);
        Assert.Equal("ok", result.GetProperty("shell").GetString());
        Assert.Equal("ok", result.GetProperty("control").GetString());
        Assert.Equal("ping", result.GetProperty("heartbeat").GetString());
        Assert.False(kernel.Running.IsCompleted);
    }

    [Fact]
    public async Task Interrupt_request_on_control_cancels_the_running_cell_and_the_next_cell_runs()
    {
        await using var kernel = new InProcessKernel();
        var result = await KernelProbe.RunAsync("interrupt", kernel.Connection.Path, "print:waiting\nwait", "print:next");
        Assert.Equal("ok", result.GetProperty("interrupt_reply").GetProperty("content").GetProperty("status").GetString());
        Assert.Equal("error", result.GetProperty("reply").GetProperty("content").GetProperty("status").GetString());
        Assert.True(result.GetProperty("seconds_after_interrupt").GetDouble() < 5, $"took {result.GetProperty("seconds_after_interrupt")} s after the interrupt");
        Assert.Equal("ok", result.GetProperty("next").GetProperty("reply").GetProperty("content").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Shutdown_replies_with_restart_echoed_and_then_the_kernel_stops()
    {
        await using var kernel = new InProcessKernel();
        var result = await KernelProbe.RunAsync("shutdown", kernel.Connection.Path);
        Assert.True(result.GetProperty("reply").GetProperty("content").GetProperty("restart").GetBoolean());
        Assert.Equal(["status", "status"], KernelProbe.Types(result.GetProperty("iopub")));
        Assert.True(await kernel.Running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_kernel_listens_on_loopback_only()
    {
        await using var kernel = new InProcessKernel();
        await KernelProbe.RunAsync("status", kernel.Connection.Path);
        var listening = ListeningSockets.All().Where(s => kernel.Connection.Ports.Contains(s.Port)).ToList();
        Assert.Equal(kernel.Connection.Ports.Order(), listening.Select(s => s.Port).Distinct().Order());
        Assert.All(listening, s => Assert.True(s.IsLoopback, $"port {s.Port} listens on {s.Address}"));
    }
}
