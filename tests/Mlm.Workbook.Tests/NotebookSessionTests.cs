using System.Diagnostics;
using System.Text.Json.Nodes;
using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Tests;

/// <summary>The engine the runner, the kernel and grading share: completion, inspection, completeness and interrupts.</summary>
[Collection(nameof(NotebookRunnerCollection))]
public sealed class NotebookSessionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("session-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private sealed class Collected : ICellOutputSink
    {
        public List<(string Kind, string Text)> Outputs { get; } = [];
        public void Stream(string name, string text) => Outputs.Add(("stream:" + name, text));
        public void Display(string displayId, JsonObject data) => Outputs.Add(("display", data["text/plain"]!.GetValue<string>()));
        public void UpdateDisplay(string displayId, JsonObject data) => Outputs.Add(("update", data["text/plain"]!.GetValue<string>()));
        public void Result(JsonObject data) => Outputs.Add(("result", data["text/plain"]!.GetValue<string>()));
        public void Error(string name, string value, IReadOnlyList<string> traceback) => Outputs.Add(("error", $"{name}: {value}"));
    }

    [Fact]
    public async Task Completion_offers_framework_members_and_the_members_of_variables_from_earlier_cells()
    {
        using var session = new NotebookSession(_folder);
        await session.ExecuteAsync("var recruits = new List<string> { \"002\" };", new Collected(), TestContext.Current.CancellationToken);

        var console = await session.CompleteAsync("Console.Wri", 11, TestContext.Current.CancellationToken);
        Assert.Contains("WriteLine", console.Matches);
        Assert.All(console.Matches, m => Assert.StartsWith("Wri", m, StringComparison.OrdinalIgnoreCase));
        Assert.Equal((8, 11), (console.CursorStart, console.CursorEnd));

        var earlier = await session.CompleteAsync("recruits.Ad", 11, TestContext.Current.CancellationToken);
        Assert.Contains("Add", earlier.Matches);
        Assert.Contains("AddRange", earlier.Matches);
        var name = await session.CompleteAsync("recr", 4, TestContext.Current.CancellationToken);
        Assert.Contains("recruits", name.Matches);
    }

    [Fact]
    public async Task Inspection_shows_the_signature_and_the_documentation_summary()
    {
        using var session = new NotebookSession(_folder);
        var inspected = await session.InspectAsync("Console.WriteLine(\"x\")", 12, TestContext.Current.CancellationToken);

        Assert.NotNull(inspected);
        var text = inspected.Data["text/plain"]!.GetValue<string>();
        Assert.Contains("Console.WriteLine", text);
        Assert.Contains("Writes", text); // the summary from the reference pack's XML documentation
        Assert.Null(await session.InspectAsync("   ", 1, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("1 + 1", "complete")]
    [InlineData("var x = 1;", "complete")]
    [InlineData("if (true) {", "incomplete")]
    [InlineData("var list = new List<int> {", "incomplete")]
    [InlineData("var = ;", "invalid")]
    public void Completeness_follows_the_CSharp_parser(string code, string status) =>
        Assert.Equal(status, new NotebookSession(_folder).IsComplete(code).Status);

    [Fact]
    public async Task An_interrupt_ends_a_waiting_cell_at_once_and_names_a_busy_loop_that_goes_on()
    {
        using var session = new NotebookSession(_folder);
        await session.ExecuteAsync("var kept = 41;", new Collected(), TestContext.Current.CancellationToken);
        // The cells say through AppContext when their code runs, so that the interrupt comes after the compile
        // however slow the machine; the loop ends when the test says so, and leaves no core busy after it.
        var started = $"started-{Guid.NewGuid():N}";
        var stop = $"stop-{Guid.NewGuid():N}";

        var waiting = new Collected();
        var clock = Stopwatch.StartNew();
        var waited = await ExecuteAndInterruptAsync(session,
            $"AppContext.SetData(\"{started}-wait\", true);\nawait Task.Delay(60_000);", $"{started}-wait", waiting);
        Assert.True(waited.Interrupted);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(("error", "Interrupted: The cell was interrupted."), waiting.Outputs.Single());

        var spinning = new Collected();
        string? spinner = null;
        try
        {
            // The loop's thread says which it is (/proc/thread-self is "PID/task/TID" on Linux).
            var spun = await ExecuteAndInterruptAsync(session,
                $"AppContext.SetData(\"{started}-spin\", new System.IO.DirectoryInfo(\"/proc/thread-self\").LinkTarget ?? \"\");\nwhile (AppContext.GetData(\"{stop}\") is null) {{ }}",
                $"{started}-spin", spinning);
            Assert.True(spun.Interrupted);
            Assert.Contains("still running", spinning.Outputs.Single().Text);
            if (OperatingSystem.IsLinux())
            {
                spinner = $"/proc/{AppContext.GetData($"{started}-spin")}";
                Assert.Contains("lowest CPU priority", spinning.Outputs.Single().Text);
                Assert.Equal("19", Signals.StatFields($"{spinner}/stat")[19 - 3]); // nice, field 19
            }
        }
        finally
        {
            AppContext.SetData(stop, true);
        }
        if (spinner is not null)
        {
            // The loop's thread was its own, not the pool's: it ends with the loop and lowers nothing else.
            var ending = Stopwatch.StartNew();
            while (Directory.Exists(spinner) && ending.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20, TestContext.Current.CancellationToken);
            Assert.False(Directory.Exists(spinner), $"{spinner} outlived its loop");
        }

        var after = new Collected();
        await session.ExecuteAsync("kept + 1", after, TestContext.Current.CancellationToken);
        Assert.Equal(("result", "42"), after.Outputs.Single());
    }

    private static async Task<CellRun> ExecuteAndInterruptAsync(NotebookSession session, string code, string started, Collected outputs)
    {
        using var interrupt = new CancellationTokenSource();
        var run = session.ExecuteAsync(code, outputs, interrupt.Token);
        var limit = Stopwatch.StartNew();
        while (AppContext.GetData(started) is null && !run.IsCompleted && limit.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.False(run.IsCompleted, $"the cell ended by itself: {string.Join(" | ", outputs.Outputs)}");
        interrupt.Cancel();
        return await run;
    }

    private sealed class Answers(params string[] lines) : ICellInput
    {
        private readonly Queue<string> _lines = new(lines);
        public string ReadLine() => _lines.Dequeue();
    }

    [Fact]
    public async Task Console_input_comes_from_whoever_answers_and_is_a_plain_error_where_nobody_can()
    {
        using var session = new NotebookSession(_folder);
        var answered = new Collected();
        await session.ExecuteAsync("Console.Write(\"Member id: \");\nvar id = Console.ReadLine();\nvar next = (char)Console.Read();\nid + \"/\" + next",
            answered, TestContext.Current.CancellationToken, input: new Answers("042", "x"));
        Assert.Equal([("stream:stdout", "Member id: "), ("result", "042/x")], answered.Outputs);

        var unattended = new Collected();
        var run = await session.ExecuteAsync("var id = Console.ReadLine();", unattended, TestContext.Current.CancellationToken);
        Assert.False(run.Succeeded);
        Assert.Contains("nobody can answer", unattended.Outputs.Single().Text);
    }

    [Fact]
    public async Task A_display_updates_in_place_under_the_id_it_was_announced_with()
    {
        using var session = new NotebookSession(_folder);
        var outputs = new Collected();
        var ids = new List<string>();
        var sink = new RecordingIds(outputs, ids);
        await session.ExecuteAsync($"{NotebookFiles.LibraryReference}\nvar shown = display(\"0 items\");\nshown.Update(\"5 items\");\nMlm.Workbook.Presentation.LiveDisplay.Show(\"a\").Update(\"b\");", sink, TestContext.Current.CancellationToken);

        Assert.Equal([("display", "0 items"), ("update", "5 items"), ("display", "a"), ("update", "b")], outputs.Outputs);
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(ids[2], ids[3]);
        Assert.NotEqual(ids[0], ids[2]);
    }

    private sealed class RecordingIds(Collected inner, List<string> ids) : ICellOutputSink
    {
        public void Stream(string name, string text) => inner.Stream(name, text);
        public void Display(string displayId, JsonObject data) { ids.Add(displayId); inner.Display(displayId, data); }
        public void UpdateDisplay(string displayId, JsonObject data) { ids.Add(displayId); inner.UpdateDisplay(displayId, data); }
        public void Result(JsonObject data) => inner.Result(data);
        public void Error(string name, string value, IReadOnlyList<string> traceback) => inner.Error(name, value, traceback);
    }
}
