using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace Mlm.Workbook.Tests;

/// <summary>
/// Sits between the SDK and DynamoDB Local at the HTTP boundary and makes BatchWriteItem leave part of
/// each request unprocessed: the held-back items are taken out of the request before it is sent, and
/// handed back in the response's UnprocessedItems, as DynamoDB does under load.
/// </summary>
public sealed class UnprocessedItemsHandler(int holdBackEvery, HttpMessageHandler? inner = null) : DelegatingHandler(inner ?? new HttpClientHandler())
{
    public int BatchRequests;
    public int ItemsHeldBack;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.Single() : "";
        if (!target.EndsWith(".BatchWriteItem", StringComparison.Ordinal)) return await base.SendAsync(request, cancellationToken);

        Interlocked.Increment(ref BatchRequests);
        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
        var heldBack = new JsonObject();
        foreach (var (table, writes) in body["RequestItems"]!.AsObject().ToList())
        {
            var all = writes!.AsArray().Select(w => w!.DeepClone()).ToList();
            var kept = new JsonArray();
            var held = new JsonArray();
            for (var i = 0; i < all.Count; i++)
                // Always keep the first write so every retry makes progress.
                (i > 0 && i % holdBackEvery == 0 ? held : kept).Add(all[i]);
            body["RequestItems"]![table] = kept;
            if (held.Count > 0) heldBack[table] = held;
            Interlocked.Add(ref ItemsHeldBack, held.Count);
        }
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.0");
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || heldBack.Count == 0) return response;

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        answer["UnprocessedItems"] = heldBack;
        var rewritten = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.0"),
        };
        // The checksum header no longer matches the rewritten body; leave it off as a proxy would.
        foreach (var header in response.Headers.Where(h => !h.Key.Equals("x-amz-crc32", StringComparison.OrdinalIgnoreCase)))
            rewritten.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return rewritten;
    }
}

/// <summary>The kinds of fault a <see cref="FaultInjectingHandler"/> injects.</summary>
public enum Fault
{
    /// <summary>No fault: the request goes through.</summary>
    None,
    /// <summary>HTTP 400 ThrottlingException, without reaching DynamoDB.</summary>
    Throttle,
    /// <summary>HTTP 500 InternalServerError, without reaching DynamoDB.</summary>
    ServerError,
    /// <summary>The connection is reset before the request arrives.</summary>
    DropBefore,
    /// <summary>The request is carried out, then the connection is reset before the answer arrives.</summary>
    DropAfter,
}

/// <summary>
/// Fails requests on a fixed schedule, as a loaded service or a flaky network does: throttling (400), server errors (500),
/// connections dropped before the request arrives, and connections dropped after it was carried out. The schedule counts
/// distinct requests (by body): the n-th distinct request gets <c>schedule(n)</c>, and a retry of a faulted request (the
/// same body again) always goes through, so every request recovers on its first retry whatever the order of concurrent requests.
/// </summary>
public sealed class FaultInjectingHandler(Func<int, Fault> schedule, HttpMessageHandler? inner = null) : DelegatingHandler(inner ?? new HttpClientHandler())
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    public int Requests, Throttled, ServerErrors, DroppedBefore, DroppedAfter;

    /// <summary>Fault only requests whose X-Amz-Target ends with one of these; all requests when empty.</summary>
    public string[] Targets { get; init; } = [];

    /// <summary>Every <paramref name="period"/>-th distinct request faults, the kinds taken in turn.</summary>
    public static Func<int, Fault> Every(int period, params Fault[] kinds) =>
        n => n % period == 0 ? kinds[n / period % kinds.Length] : Fault.None;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Requests);
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.Single() : "";
        var fault = Fault.None;
        if (Targets.Length == 0 || Targets.Any(t => target.EndsWith(t, StringComparison.Ordinal)))
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var contentType = request.Content.Headers.ContentType;
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = contentType;
            var identity = target + "\n" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body));
            lock (_seen)
                if (_seen.Add(identity)) fault = schedule(_seen.Count);
        }
        switch (fault)
        {
            case Fault.Throttle:
                Interlocked.Increment(ref Throttled);
                return Error(HttpStatusCode.BadRequest, "ThrottlingException", "Rate of requests exceeds the allowed throughput.");
            case Fault.ServerError:
                Interlocked.Increment(ref ServerErrors);
                return Error(HttpStatusCode.InternalServerError, "InternalServerError", "Internal server error");
            case Fault.DropBefore:
                Interlocked.Increment(ref DroppedBefore);
                throw Reset("before the request was sent");
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (fault == Fault.DropAfter)
        {
            Interlocked.Increment(ref DroppedAfter);
            response.Dispose();
            throw Reset("after the request was carried out");
        }
        return response;
    }

    // As a real reset arrives: an HttpRequestException around an IOException around the socket error.
    private static HttpRequestException Reset(string when) =>
        new($"The connection was reset {when} (injected).",
            new IOException("Unable to read data from the transport connection: Connection reset by peer.",
                new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset)));

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message) => new(status)
    {
        Content = new StringContent($"{{\"__type\":\"com.amazonaws.dynamodb.v20120810#{code}\",\"message\":\"{message}\"}}", Encoding.UTF8, "application/x-amz-json-1.0"),
    };
}

public static class FaultyClients
{
    /// <summary>
    /// A client whose requests pass through a handler: the workbook's own client (<see cref="ClientPolicy.LocalClient"/>),
    /// with the retries and timeouts that ship, so what recovers from injected faults is what users get.
    /// </summary>
    public static IAmazonDynamoDB Through(HttpMessageHandler handler, string endpoint) => ClientPolicy.LocalClient(endpoint, handler);
}
