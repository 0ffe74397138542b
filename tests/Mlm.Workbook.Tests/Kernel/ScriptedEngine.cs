using System.Text.Json.Nodes;
using Mlm.Workbook.Kernel;
using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Tests.Kernel;

/// <summary>
/// A stand-in for the C# session, so transport tests do not depend on Roslyn: each line of a cell is one command
/// (<c>print:TEXT</c>, <c>drip:N</c>, <c>touch:PATH</c>, <c>wait</c>, <c>fail</c>, <c>display</c>, <c>result</c>).
/// </summary>
internal sealed class ScriptedEngine : IKernelEngine
{
    public async Task<CellRun> ExecuteAsync(string source, ICellOutputSink sink, ICellInput? input, CancellationToken cancellationToken)
    {
        foreach (var line in source.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (command, argument) = line.IndexOf(':') is var colon and >= 0 ? (line[..colon], line[(colon + 1)..]) : (line, "");
            switch (command)
            {
                case "print": sink.Stream("stdout", argument + "\n"); break;
                case "warn": sink.Stream("stderr", argument + "\n"); break;
                case "drip":
                    for (var i = 0; i < int.Parse(argument); i++)
                    {
                        sink.Stream("stdout", $"tick {i}\n");
                        await Task.Delay(700, CancellationToken.None);
                    }
                    break;
                case "touch": await File.WriteAllTextAsync(argument, "executed", CancellationToken.None); break;
                case "wait":
                    try
                    {
                        await Task.Delay(60_000, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        sink.Error("OperationCanceledException", "The cell was interrupted.", ["interrupted"]);
                        return new CellRun(false, "interrupted", Interrupted: true);
                    }
                    break;
                case "fail":
                    sink.Error("InvalidOperationException", "boom", ["at cell line 1"]);
                    return new CellRun(false, "boom");
                case "display": sink.Display("d-1", new JsonObject { ["text/plain"] = "shown", ["application/vnd.plotly.v1+json"] = new JsonObject { ["data"] = new JsonArray() } }); break;
                case "update": sink.UpdateDisplay("d-1", new JsonObject { ["text/plain"] = "updated" }); break;
                case "result": sink.Result(new JsonObject { ["text/plain"] = "42", ["text/html"] = "<b>42</b>" }); break;
                default:
                    sink.Error("CompilationError", $"unknown command {command}", []);
                    return new CellRun(false, "unknown");
            }
        }
        return new CellRun(true, null);
    }

    /// <summary>Completes the word before the cursor from a fixed list; positions are UTF-16 indexes.</summary>
    public Task<CompletionResult> CompleteAsync(string source, int cursor, CancellationToken cancellationToken)
    {
        var start = cursor;
        while (start > 0 && char.IsLetter(source[start - 1])) start--;
        var word = source[start..cursor];
        var matches = new[] { "WriteLine", "Write", "ReadLine" }.Where(m => m.StartsWith(word, StringComparison.Ordinal)).ToList();
        return Task.FromResult(new CompletionResult(matches, start, cursor));
    }

    public Task<InspectionResult?> InspectAsync(string source, int cursor, CancellationToken cancellationToken) =>
        Task.FromResult<InspectionResult?>(source.Contains("Console", StringComparison.Ordinal)
            ? new InspectionResult(new JsonObject { ["text/plain"] = "class System.Console" }) : null);

    public IsCompleteResult IsComplete(string source) =>
        source.Count(c => c == '{') > source.Count(c => c == '}') ? new IsCompleteResult("incomplete", "    ")
        : source.Contains("}{", StringComparison.Ordinal) ? new IsCompleteResult("invalid") : new IsCompleteResult("complete");

    public void Dispose() { }
}

/// <summary>A kernel served in this test process in front of the scripted engine.</summary>
internal sealed class InProcessKernel : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _log = new();

    public InProcessKernel()
    {
        Kernel = new JupyterKernel(ConnectionFile.Load(Connection.Path), new ScriptedEngine(), TextWriter.Synchronized(_log));
        Running = Kernel.RunAsync(_stop.Token);
    }

    public TempConnection Connection { get; } = new();
    public JupyterKernel Kernel { get; }
    public Task<bool> Running { get; }

    /// <summary>What the kernel logged (dropped messages and the like).</summary>
    public string Log => _log.ToString();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Running.WaitAsync(TimeSpan.FromSeconds(10));
        Connection.Dispose();
    }
}
