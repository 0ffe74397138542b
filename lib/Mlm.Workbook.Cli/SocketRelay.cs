using System.Net;
using System.Net.Sockets;

namespace Mlm.Workbook.Cli;

/// <summary>
/// Byte relays between a TCP port and a Unix socket, so that a grading process in a network namespace of its own
/// (no network but its loopback) still reaches grading's DynamoDB Local, and nothing else: <c>grade</c> listens on a
/// Unix socket in the stage and passes each connection on to DynamoDB Local; <c>grade-one</c> listens on its own
/// loopback and passes each connection on to that socket. Written by hand: a few lines of sockets, where a proxy
/// package would add a dependency for one job.
/// </summary>
internal static class SocketRelay
{
    /// <summary>The Unix socket in a stage that leads to grading's DynamoDB.</summary>
    public const string SocketName = "dynamodb.sock";

    /// <summary>Set for a grading process that must reach DynamoDB through <see cref="SocketName"/>.</summary>
    public const string Variable = "MLM_GRADE_DYNAMODB_SOCKET";

    /// <summary>Listens on <paramref name="socketPath"/> and passes each connection on to the TCP endpoint, until cancelled.</summary>
    public static async Task ServeUnixAsync(string socketPath, Uri target, CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(64);
        await AcceptAsync(listener, async () =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(target.Host, target.Port, cancellationToken).ConfigureAwait(false);
            return socket;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Listens on a free loopback port, passing each connection on to the Unix socket; returns the port.</summary>
    public static int ServeLoopback(string socketPath, CancellationToken cancellationToken)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        _ = AcceptAsync(listener, async () =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return socket;
        }, cancellationToken);
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    private static async Task AcceptAsync(Socket listener, Func<Task<Socket>> connect, CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.Register(listener.Dispose);
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = PairAsync(accepted, connect, cancellationToken);
        }
    }

    private static async Task PairAsync(Socket accepted, Func<Task<Socket>> connect, CancellationToken cancellationToken)
    {
        using (accepted)
        {
            Socket other;
            try
            {
                other = await connect().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                return;
            }
            using (other)
            {
                using var one = new NetworkStream(accepted, ownsSocket: false);
                using var two = new NetworkStream(other, ownsSocket: false);
                var forth = CopyAsync(one, two, other, cancellationToken);
                var back = CopyAsync(two, one, accepted, cancellationToken);
                await Task.WhenAll(forth, back).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Copies until the source ends, then says so to the other side (half close), as HTTP keep-alive expects.</summary>
    private static async Task CopyAsync(Stream from, Stream to, Socket toSocket, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            try { toSocket.Shutdown(SocketShutdown.Both); } catch (Exception f) when (f is SocketException or ObjectDisposedException) { }
        }
    }
}
