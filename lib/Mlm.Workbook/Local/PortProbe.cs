using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mlm.Workbook;

/// <summary>What answers on a port.</summary>
public enum PortState
{
    /// <summary>Nothing listens there.</summary>
    Free,
    /// <summary>A DynamoDB endpoint answers there.</summary>
    DynamoDb,
    /// <summary>Something that is not DynamoDB holds the port.</summary>
    Other,
    /// <summary>Something accepts connections there but does not answer: a paused (SIGSTOP) or overloaded process.</summary>
    Unresponsive,
}

/// <summary>Finding out what listens on a local port, and finding a free one.</summary>
public static class PortProbe
{
    /// <summary>How long an answer to the probe's request may take.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Finds out what answers on a local port: nothing, a DynamoDB endpoint, something else, or something silent.</summary>
    public static async Task<PortState> ProbeAsync(int port, CancellationToken cancellationToken = default)
    {
        using (var socket = new TcpClient())
        {
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(2));
                await socket.ConnectAsync(IPAddress.Loopback, port, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return PortState.Free;
            }
        }
        try
        {
            using var http = new HttpClient { Timeout = AnswerTimeout };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://localhost:{port}")
            {
                Content = new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.0"),
            };
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            // DynamoDB answers an unsigned request with an error naming its own API version.
            return response.Headers.Contains("x-amzn-RequestId") || body.Contains("dynamodb", StringComparison.OrdinalIgnoreCase) || body.Contains("TableNames", StringComparison.Ordinal)
                ? PortState.DynamoDb
                : PortState.Other;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PortState.Unresponsive; // connected, but no answer in time
        }
        catch (HttpRequestException)
        {
            return PortState.Other;
        }
    }

    /// <summary>A TCP port nothing listens on right now, chosen by the operating system.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
