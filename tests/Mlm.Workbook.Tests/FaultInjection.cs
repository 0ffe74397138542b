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

/// <summary>
/// Fails requests at random, as a loaded service or a flaky network does: throttling (400), server errors (500),
/// connections dropped before the request arrives, and connections dropped after it was carried out.
/// </summary>
public sealed class FaultInjectingHandler(int seed, double rate, HttpMessageHandler? inner = null) : DelegatingHandler(inner ?? new HttpClientHandler())
{
    private readonly Random _random = new(seed);
    public int Requests, Throttled, ServerErrors, DroppedBefore, DroppedAfter;

    /// <summary>Fault only requests whose X-Amz-Target ends with one of these; all requests when empty.</summary>
    public string[] Targets { get; init; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Requests);
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.Single() : "";
        double draw;
        lock (_random) draw = _random.NextDouble();
        if (Targets.Length > 0 && !Targets.Any(t => target.EndsWith(t, StringComparison.Ordinal))) draw = 1;
        var share = rate / 4;
        if (draw < share)
        {
            Interlocked.Increment(ref Throttled);
            return Error(HttpStatusCode.BadRequest, "ThrottlingException", "Rate of requests exceeds the allowed throughput.");
        }
        if (draw < 2 * share)
        {
            Interlocked.Increment(ref ServerErrors);
            return Error(HttpStatusCode.InternalServerError, "InternalServerError", "Internal server error");
        }
        if (draw < 3 * share)
        {
            Interlocked.Increment(ref DroppedBefore);
            throw new HttpRequestException("The connection was reset before the request was sent (injected).");
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (draw < 4 * share)
        {
            Interlocked.Increment(ref DroppedAfter);
            response.Dispose();
            throw new HttpRequestException("The connection was reset after the request was carried out (injected).");
        }
        return response;
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message) => new(status)
    {
        Content = new StringContent($"{{\"__type\":\"com.amazonaws.dynamodb.v20120810#{code}\",\"message\":\"{message}\"}}", Encoding.UTF8, "application/x-amz-json-1.0"),
    };
}

public sealed class HandlerFactory(HttpMessageHandler handler) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
}

public static class FaultyClients
{
    /// <summary>
    /// A client whose requests pass through a handler. The SDK's own retries are off, so what recovers from the
    /// injected faults is the library's retrying alone.
    /// </summary>
    public static IAmazonDynamoDB Through(HttpMessageHandler handler, string endpoint) =>
        new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig
        {
            ServiceURL = endpoint,
            AuthenticationRegion = "us-east-1",
            HttpClientFactory = new HandlerFactory(handler),
            MaxErrorRetry = 0,
        });
}
