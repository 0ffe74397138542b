using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3): shell requests run one at a time, control requests (interrupt,
/// shutdown, kernel_info) alongside them; every request is bracketed by busy and idle on iopub with the request as
/// parent. The C# itself runs in the <see cref="IKernelEngine"/>.
/// </summary>
public sealed class JupyterKernel
{
    private readonly ConnectionFile _connection;
    private readonly TextWriter _log;
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly Channel<JupyterMessage> _shell = Channel.CreateUnbounded<JupyterMessage>(new() { SingleReader = true });
    private readonly Channel<JupyterMessage> _control = Channel.CreateUnbounded<JupyterMessage>(new() { SingleReader = true });
    private readonly TaskCompletionSource<bool> _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RequestHandlers _handlers;
    private KernelSockets? _sockets;

    /// <summary>A kernel for a connection file, in front of an engine.</summary>
    /// <param name="connection">Where to bind and the signing key.</param>
    /// <param name="engine">The C# session that runs the cells.</param>
    /// <param name="log">Where problems are logged (stderr by default).</param>
    /// <param name="streamWindow">How long stdout/stderr text may wait to be sent with what follows it (default 50 ms).</param>
    public JupyterKernel(ConnectionFile connection, IKernelEngine engine, TextWriter? log = null, TimeSpan? streamWindow = null)
    {
        _connection = connection;
        _log = log ?? Console.Error;
        _handlers = new RequestHandlers(engine, Publish, message => _sockets?.Reply(KernelChannel.Stdin, message), _session, streamWindow ?? TimeSpan.FromMilliseconds(50));
    }

    /// <summary>
    /// Binds the sockets and serves until a shutdown request or until <paramref name="cancellationToken"/> is cancelled
    /// (the parent went away, a terminate signal). Returns whether the front end asked for a restart.
    /// </summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var codec = new WireCodec(new MessageSigner(_connection.Key, _connection.SignatureScheme));
        using var sockets = new KernelSockets(_connection, codec, _log, Enqueue);
        _sockets = sockets;
        sockets.Start();
        Status("starting", null);

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var shellWorker = ServeAsync(KernelChannel.Shell, _shell.Reader, stopping.Token);
        var controlWorker = ServeAsync(KernelChannel.Control, _control.Reader, stopping.Token);

        bool restart;
        try
        {
            restart = await _shutdown.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _log.WriteLine("[kernel] stopping.");
            restart = false;
        }
        stopping.Cancel();
        _handlers.Interrupt();
        sockets.Stop();
        await Task.WhenAny(sockets.Stopped, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
        _sockets = null;
        _ = Task.WhenAll(shellWorker, controlWorker);
        return restart;
    }

    /// <summary>Interrupts the running cell (what interrupt_request and SIGINT do).</summary>
    public void Interrupt() => _handlers.Interrupt();

    private void Enqueue(KernelChannel channel, JupyterMessage message)
    {
        switch (channel)
        {
            case KernelChannel.Shell: _shell.Writer.TryWrite(message); break;
            case KernelChannel.Control: _control.Writer.TryWrite(message); break;
            default:
                if (message.MessageType != "input_reply" || !_handlers.AnswerInput(message))
                    _log.WriteLine($"[kernel] ignored {message.MessageType} on stdin: no cell waits for input.");
                break;
        }
    }

    private async Task ServeAsync(KernelChannel channel, ChannelReader<JupyterMessage> requests, CancellationToken stopping)
    {
        try
        {
            await foreach (var request in requests.ReadAllAsync(stopping))
            {
                var failed = await HandleAsync(channel, request, stopping);
                if (failed && channel == KernelChannel.Shell) AbortQueued();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Handles one request; returns true when it was an execution that failed and asked to stop on error.</summary>
    private async Task<bool> HandleAsync(KernelChannel channel, JupyterMessage request, CancellationToken stopping)
    {
        var type = request.MessageType;
        Status("busy", request);
        var stopOnErrorFailure = false;
        try
        {
            JsonObject? content = type switch
            {
                "kernel_info_request" => KernelInfo.Content(),
                "execute_request" => await _handlers.ExecuteAsync(request, stopping),
                "complete_request" => await _handlers.CompleteAsync(request, stopping),
                "inspect_request" => await _handlers.InspectAsync(request, stopping),
                "is_complete_request" => _handlers.IsComplete(request),
                "comm_info_request" => RequestHandlers.CommInfo(),
                "history_request" => RequestHandlers.History(),
                "interrupt_request" => Interrupted(),
                "shutdown_request" => new JsonObject { ["status"] = "ok", ["restart"] = request.Flag("restart", false) },
                _ => null,
            };
            if (content is null)
            {
                _log.WriteLine($"[kernel] unknown message type \"{type}\" on {channel.ToString().ToLowerInvariant()}; ignored.");
            }
            else
            {
                Reply(channel, ReplyType(type), content, request);
                stopOnErrorFailure = type == "execute_request" && content["status"]?.GetValue<string>() == "error" && request.Flag("stop_on_error", true);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            _log.WriteLine($"[kernel] {type} failed: {e}");
            var content = IOPubSink.ErrorContent(e.GetType().Name, e.Message, []);
            content["status"] = "error";
            Reply(channel, ReplyType(type), content, request);
        }
        finally
        {
            Status("idle", request);
        }
        if (type == "shutdown_request") _shutdown.TrySetResult(request.Flag("restart", false));
        return stopOnErrorFailure;
    }

    private JsonObject Interrupted()
    {
        _handlers.Interrupt();
        return new JsonObject { ["status"] = "ok" };
    }

    /// <summary>After a failed cell, the requests already queued behind it are answered "aborted", as ipykernel does.</summary>
    private void AbortQueued()
    {
        while (_shell.Reader.TryRead(out var request))
        {
            Status("busy", request);
            Reply(KernelChannel.Shell, ReplyType(request.MessageType), new JsonObject { ["status"] = "aborted" }, request);
            Status("idle", request);
        }
    }

    private static string ReplyType(string requestType) =>
        requestType.EndsWith("_request", StringComparison.Ordinal) ? requestType[..^"_request".Length] + "_reply" : requestType + "_reply";

    private void Reply(KernelChannel channel, string type, JsonObject content, JupyterMessage request) =>
        _sockets?.Reply(channel, JupyterMessage.Create(type, content, _session, request));

    private void Status(string state, JupyterMessage? parent) =>
        Publish(JupyterMessage.Create("status", new JsonObject { ["execution_state"] = state }, _session, parent));

    private void Publish(JupyterMessage message) => _sockets?.Publish(message);
}
