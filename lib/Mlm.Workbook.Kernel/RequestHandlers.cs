using System.Text.Json.Nodes;
using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// What each request does, as reply content: execution with its count and outputs, completion, inspection,
/// is_complete, and the small ones (comm_info, history). Cursor positions cross here between code points and UTF-16.
/// </summary>
internal sealed class RequestHandlers(
    IKernelEngine engine, Action<JupyterMessage> publish, Action<JupyterMessage> askOnStdin, string session, TimeSpan streamWindow)
{
    private readonly Lock _lock = new();
    private CancellationTokenSource? _running;
    private FrontEndInput? _input;
    private int _executionCount;

    /// <summary>Answers the running cell's console read with an input_reply; false when no cell waits for input.</summary>
    public bool AnswerInput(JupyterMessage reply)
    {
        lock (_lock) return _input?.Answer(reply) == true;
    }

    /// <summary>Cancels the running cell, if any.</summary>
    public bool Interrupt()
    {
        lock (_lock)
        {
            if (_running is null) return false;
            _running.Cancel();
            return true;
        }
    }

    public async Task<JsonObject> ExecuteAsync(JupyterMessage request, CancellationToken stopping)
    {
        var code = request.Text("code");
        var silent = request.Flag("silent", false);
        var storeHistory = !silent && request.Flag("store_history", true);
        if (storeHistory) _executionCount++;
        var count = _executionCount;
        if (!silent)
            publish(JupyterMessage.Create("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, session, request));

        using var sink = new IOPubSink(publish, request, session, count, silent, streamWindow);
        using var cell = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        // Input only where the front end allows it; otherwise a read fails at once, with why, instead of waiting for ever.
        var input = !silent && request.Flag("allow_stdin", false) ? new FrontEndInput(askOnStdin, request, session, sink.Flush, cell.Token) : null;
        lock (_lock) (_running, _input) = (cell, input);
        CellRun run;
        try
        {
            run = await engine.ExecuteAsync(code, sink, input, cell.Token);
        }
        catch (OperationCanceledException) when (cell.IsCancellationRequested)
        {
            sink.Error("OperationCanceledException", "The cell was interrupted.", []);
            run = new CellRun(false, "interrupted", Interrupted: true);
        }
        catch (Exception e)
        {
            // The session reports a cell's own failures as outputs; anything thrown here is the kernel's problem, shown in the cell.
            sink.Error(e.GetType().Name, e.Message, (e.ToString()).Split('\n'));
            run = new CellRun(false, e.Message);
        }
        finally
        {
            lock (_lock) (_running, _input) = (null, null);
        }
        sink.Flush();

        if (run.Succeeded)
            return new JsonObject { ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray() };
        var (name, value, traceback) = sink.LastError ?? (run.Interrupted ? "OperationCanceledException" : "Error", run.Error ?? "", []);
        var reply = IOPubSink.ErrorContent(name, value, traceback);
        reply["status"] = "error";
        reply["execution_count"] = count;
        return reply;
    }

    public async Task<JsonObject> CompleteAsync(JupyterMessage request, CancellationToken stopping)
    {
        var code = request.Text("code");
        var cursor = CodePoints.ToUtf16(code, request.Number("cursor_pos", int.MaxValue));
        var result = await engine.CompleteAsync(code, cursor, stopping);
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(result.Matches.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
            ["cursor_start"] = CodePoints.FromUtf16(code, result.CursorStart),
            ["cursor_end"] = CodePoints.FromUtf16(code, result.CursorEnd),
            ["metadata"] = new JsonObject(),
        };
    }

    public async Task<JsonObject> InspectAsync(JupyterMessage request, CancellationToken stopping)
    {
        var code = request.Text("code");
        var cursor = CodePoints.ToUtf16(code, request.Number("cursor_pos", int.MaxValue));
        var result = await engine.InspectAsync(code, cursor, stopping);
        return new JsonObject
        {
            ["status"] = "ok",
            ["found"] = result is not null,
            ["data"] = result?.Data.DeepClone() ?? new JsonObject(),
            ["metadata"] = new JsonObject(),
        };
    }

    public JsonObject IsComplete(JupyterMessage request)
    {
        var result = engine.IsComplete(request.Text("code"));
        var reply = new JsonObject { ["status"] = result.Status };
        if (result.Status == "incomplete") reply["indent"] = result.Indent;
        return reply;
    }

    public static JsonObject CommInfo() => new() { ["status"] = "ok", ["comms"] = new JsonObject() };

    public static JsonObject History() => new() { ["status"] = "ok", ["history"] = new JsonArray() };
}
