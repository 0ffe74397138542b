using System.Text.Json.Nodes;
using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// One execute request's outputs, published on iopub with the request as parent: streams (coalesced), displays
/// and their updates, the result with its execution count, errors. A silent request publishes none of them.
/// </summary>
internal sealed class IOPubSink : ICellOutputSink, IDisposable
{
    private readonly Action<JupyterMessage> _publish;
    private readonly JupyterMessage _request;
    private readonly string _session;
    private readonly int _executionCount;
    private readonly bool _silent;
    private readonly StreamCoalescer _streams;
    private readonly Lock _lock = new();

    public IOPubSink(Action<JupyterMessage> publish, JupyterMessage request, string session, int executionCount, bool silent, TimeSpan streamWindow)
    {
        _publish = publish;
        _request = request;
        _session = session;
        _executionCount = executionCount;
        _silent = silent;
        _streams = new StreamCoalescer((name, text) => Send("stream", new JsonObject { ["name"] = name, ["text"] = text }), streamWindow);
    }

    /// <summary>The last error the cell reported, for the execute reply.</summary>
    public (string Name, string Value, IReadOnlyList<string> Traceback)? LastError { get; private set; }

    public void Stream(string name, string text)
    {
        if (!_silent) _streams.Append(name == "stderr" ? "stderr" : "stdout", text);
    }

    public void Display(string displayId, JsonObject data) => SendDisplay("display_data", displayId, data);

    public void UpdateDisplay(string displayId, JsonObject data) => SendDisplay("update_display_data", displayId, data);

    public void Result(JsonObject data)
    {
        _streams.Flush();
        Send("execute_result", new JsonObject { ["execution_count"] = _executionCount, ["data"] = data.DeepClone(), ["metadata"] = new JsonObject() });
    }

    public void Error(string name, string value, IReadOnlyList<string> traceback)
    {
        LastError = (name, value, traceback.ToArray());
        _streams.Flush();
        Send("error", ErrorContent(name, value, traceback));
    }

    /// <summary>Publishes pending stream text now.</summary>
    public void Flush() => _streams.Flush();

    /// <summary>The fields an error output and a failed execute reply share.</summary>
    public static JsonObject ErrorContent(string name, string value, IReadOnlyList<string> traceback) => new()
    {
        ["ename"] = name,
        ["evalue"] = value,
        ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode?)JsonValue.Create(line)).ToArray()),
    };

    private void SendDisplay(string type, string displayId, JsonObject data)
    {
        _streams.Flush();
        Send(type, new JsonObject
        {
            ["data"] = data.DeepClone(),
            ["metadata"] = new JsonObject(),
            ["transient"] = new JsonObject { ["display_id"] = displayId },
        });
    }

    private void Send(string type, JsonObject content)
    {
        if (_silent) return;
        lock (_lock) _publish(JupyterMessage.Create(type, content, _session, _request));
    }

    public void Dispose()
    {
        _streams.Flush();
        _streams.Dispose();
    }
}
