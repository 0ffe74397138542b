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
public sealed class UnprocessedItemsHandler(int holdBackEvery) : DelegatingHandler(new HttpClientHandler())
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

public sealed class HandlerFactory(HttpMessageHandler handler) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
}

public static class FaultyClients
{
    public static IAmazonDynamoDB Through(HttpMessageHandler handler, string endpoint) =>
        new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig
        {
            ServiceURL = endpoint,
            AuthenticationRegion = "us-east-1",
            HttpClientFactory = new HandlerFactory(handler),
        });
}
