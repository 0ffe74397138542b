using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mlm.Workbook.Tests;

/// <summary>Endpoints that misbehave: silent, not DynamoDB, not a URL. Each must fail fast with a message saying what to check.</summary>
public class EndpointTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A TCP server on a free loopback port that accepts connections and answers each with <paramref name="answer"/>, or never.</summary>
    private static (TcpListener Listener, Task Server) Serve(Func<string?> answer)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            var held = new List<TcpClient>();
            try
            {
                while (!Cancel.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(Cancel);
                    held.Add(client);
                    if (answer() is not { } text) continue; // silent: hold the connection open, read nothing, answer nothing
                    var stream = client.GetStream();
                    _ = await stream.ReadAsync(new byte[65536], Cancel);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(text), Cancel);
                    client.Dispose();
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
            finally
            {
                foreach (var client in held) client.Dispose();
            }
        });
        return (listener, server);
    }

    private static int PortOf(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    [Fact]
    public async Task A_silent_endpoint_fails_a_seed_within_30_seconds_naming_the_url()
    {
        var (listener, _) = Serve(() => null);
        try
        {
            var endpoint = $"http://localhost:{PortOf(listener)}";
            var store = new MlmStore(Connection.ForLocalEndpoint(endpoint), "silent");
            var clock = Stopwatch.StartNew();

            var error = await Assert.ThrowsAsync<DynamoDbTimeoutException>(() => store.SeedAsync(new FakeDataOptions(), cancellationToken: Cancel));

            Assert.InRange(clock.Elapsed, ClientPolicy.RequestTimeout, TimeSpan.FromSeconds(30));
            Assert.Contains(endpoint, error.Message);
            Assert.Contains("gave no answer", error.Message);
            Assert.Contains("dynamodb status", error.Message);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task An_endpoint_that_is_not_DynamoDB_is_named_with_its_HTTP_status()
    {
        var (listener, _) = Serve(() => "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found");
        try
        {
            var endpoint = $"http://localhost:{PortOf(listener)}";
            var store = new MlmStore(Connection.ForLocalEndpoint(endpoint), "not-dynamodb");

            var error = await Assert.ThrowsAsync<NotDynamoDbException>(() => store.GetMemberAsync("001", Cancel));

            Assert.Equal(404, error.StatusCode);
            Assert.Contains($"{endpoint}/ answered HTTP 404", error.Message);
            Assert.Contains("AWS_ENDPOINT_URL_DYNAMODB", error.Message);
            Assert.DoesNotContain("See inner exception", error.Message);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Theory]
    [InlineData("localhost:8347")]
    [InlineData("ftp://localhost:8347")]
    [InlineData("localhost 8000")]
    [InlineData("http://")]
    public void An_endpoint_that_is_not_an_http_url_is_refused_with_an_example(string endpoint)
    {
        var error = Assert.Throws<ArgumentException>(() => Connection.ForLocalEndpoint(endpoint));
        Assert.Contains($"\"{endpoint}\"", error.Message);
        Assert.Contains("http://localhost:8000", error.Message);
    }
}
