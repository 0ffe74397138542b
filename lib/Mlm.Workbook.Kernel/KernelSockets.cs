using NetMQ;
using NetMQ.Sockets;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// The five ZeroMQ sockets, bound where the connection file says and nowhere else, all driven by one poller thread:
/// NetMQ sockets are not thread-safe, so other threads hand outgoing messages over through a queue.
/// Incoming frames that do not decode (garbage, unsigned, wrongly signed) are logged and dropped.
/// </summary>
internal sealed class KernelSockets : IDisposable
{
    private readonly RouterSocket _shell = new();
    private readonly RouterSocket _control = new();
    private readonly RouterSocket _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly ResponseSocket _heartbeat = new();
    private readonly NetMQQueue<Outgoing> _outgoing = new();
    private readonly NetMQPoller _poller;
    private readonly WireCodec _codec;
    private readonly TextWriter _log;
    private readonly Action<KernelChannel, JupyterMessage> _onRequest;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Outgoing(NetMQSocket? Socket, List<byte[]>? Frames);

    public KernelSockets(ConnectionFile connection, WireCodec codec, TextWriter log, Action<KernelChannel, JupyterMessage> onRequest)
    {
        if (connection.Transport != "tcp")
            throw new NotSupportedException($"Transport \"{connection.Transport}\" is not supported: NetMQ speaks ipc only to itself. Start the kernel with a tcp connection file.");
        _codec = codec;
        _log = log;
        _onRequest = onRequest;
        NetMQSocket[] all = [_shell, _control, _stdin, _iopub, _heartbeat];
        foreach (var socket in all) socket.Options.Linger = TimeSpan.FromSeconds(1);
        _shell.Bind(connection.Endpoint(connection.ShellPort));
        _control.Bind(connection.Endpoint(connection.ControlPort));
        _stdin.Bind(connection.Endpoint(connection.StdinPort));
        _iopub.Bind(connection.Endpoint(connection.IOPubPort));
        _heartbeat.Bind(connection.Endpoint(connection.HeartbeatPort));

        _shell.ReceiveReady += (_, e) => Receive(KernelChannel.Shell, e.Socket);
        _control.ReceiveReady += (_, e) => Receive(KernelChannel.Control, e.Socket);
        _stdin.ReceiveReady += (_, e) => Receive(KernelChannel.Stdin, e.Socket);
        _heartbeat.ReceiveReady += (_, e) => Echo(e.Socket);
        _outgoing.ReceiveReady += (_, _) => SendQueued();
        _poller = [_shell, _control, _stdin, _heartbeat, _outgoing];
    }

    /// <summary>Completes when the poller has sent everything queued before <see cref="Stop"/> and stopped.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Starts the poller thread.</summary>
    public void Start() => _poller.RunAsync("jupyter kernel sockets");

    /// <summary>Sends a reply on the channel the request came from.</summary>
    public void Reply(KernelChannel channel, JupyterMessage message) =>
        _outgoing.Enqueue(new Outgoing(channel switch { KernelChannel.Control => _control, KernelChannel.Stdin => _stdin, _ => _shell }, _codec.Encode(message)));

    /// <summary>Publishes a message on iopub, with a topic after ipykernel's (<c>kernel.&lt;session&gt;.&lt;type&gt;</c>).</summary>
    public void Publish(JupyterMessage message)
    {
        var frames = _codec.Encode(message with { Identities = [System.Text.Encoding.UTF8.GetBytes($"kernel.{message.Session}.{message.MessageType}")] });
        _outgoing.Enqueue(new Outgoing(_iopub, frames));
    }

    /// <summary>Sends what is queued, then stops the poller.</summary>
    public void Stop() => _outgoing.Enqueue(new Outgoing(null, null));

    private void Receive(KernelChannel channel, NetMQSocket socket)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            try
            {
                if (_codec.TryDecode(frames, out var message, out var problem)) _onRequest(channel, message!);
                else _log.WriteLine($"[kernel] dropped a message on {channel.ToString().ToLowerInvariant()}: {problem}");
            }
            catch (Exception e)
            {
                // Whatever a request does wrong, the sockets keep answering.
                _log.WriteLine($"[kernel] error handling a message on {channel}: {e}");
            }
            frames = new List<byte[]>();
        }
    }

    private static void Echo(NetMQSocket socket)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            socket.TrySendMultipartBytes(TimeSpan.FromSeconds(1), frames);
            frames = new List<byte[]>();
        }
    }

    private void SendQueued()
    {
        while (_outgoing.TryDequeue(out var item, TimeSpan.Zero))
        {
            if (item.Socket is null)
            {
                _poller.Stop();
                _stopped.TrySetResult();
                return;
            }
            if (!item.Socket.TrySendMultipartBytes(TimeSpan.FromSeconds(1), item.Frames!))
                _log.WriteLine("[kernel] a message could not be sent within a second and was dropped.");
        }
    }

    public void Dispose()
    {
        if (_poller.IsRunning) _poller.Stop();
        _poller.Dispose();
        _outgoing.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat }) socket.Dispose();
    }
}
