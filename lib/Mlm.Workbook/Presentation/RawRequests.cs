using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Mlm.Workbook.Presentation;

/// <summary>
/// A request as DynamoDB receives it: the SDK request object serialised by the SDK's own marshaller, the JSON body the
/// AWS CLI and the API reference show, under the operation's name. Nothing is rebuilt from a description.
/// </summary>
public static class RawRequests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The first request of a read as it was sent: <c>Query</c> and its body, <c>{"TableName": "mlm", "IndexName": …}</c>.
    /// A read of several pages says how many more requests followed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The result was not read by the library (it holds no request).</exception>
    public static string RawRequest(this ReadResult result)
    {
        if (result is null) throw new ArgumentNullException(nameof(result));
        if (result.SentRequests.Count == 0)
            throw new InvalidOperationException("This result holds no request: only a read of the library's records what it sent.");
        var first = RawRequest(result.SentRequests[0]);
        var more = result.SentRequests.Count - 1;
        return more == 0 ? first
            : $"{first}\n… and {more} more request{(more == 1 ? "" : "s")}{(result.SentRequests.Skip(1).All(IsContinuation) ? ", each starting where the page before ended" : "")}";
    }

    /// <summary>A request object as it goes over the wire: its operation, then its JSON body.</summary>
    public static string RawRequest(this AmazonWebServiceRequest request)
    {
        if (request is null) throw new ArgumentNullException(nameof(request));
        var name = request.GetType().Name;
        var operation = name.EndsWith("Request", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Request".Length) : name;
        var marshalled = Marshal(request);
        using var body = marshalled.ContentStream ?? new MemoryStream(marshalled.Content ?? []);
        var json = JsonNode.Parse(body);
        return $"{operation}\n{json?.ToJsonString(Indented) ?? "{}"}";
    }

    /// <summary>The SDK's marshaller for the request's type, which writes the body that is signed and sent.</summary>
    private static IRequest Marshal(AmazonWebServiceRequest request)
    {
        var marshallerName = $"Amazon.DynamoDBv2.Model.Internal.MarshallTransformations.{request.GetType().Name}Marshaller";
        var marshallerType = typeof(Amazon.DynamoDBv2.AmazonDynamoDBClient).Assembly.GetType(marshallerName)
            ?? throw new ArgumentException($"{request.GetType().Name} is not a DynamoDB request.", nameof(request));
        var marshaller = marshallerType.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? marshallerType.GetField("Instance", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? Activator.CreateInstance(marshallerType)!;
        var marshall = marshallerType.GetMethod("Marshall", [request.GetType()])!;
        return (IRequest)marshall.Invoke(marshaller, [request])!;
    }

    private static bool IsContinuation(AmazonWebServiceRequest request) => request switch
    {
        Amazon.DynamoDBv2.Model.QueryRequest query => query.ExclusiveStartKey is { Count: > 0 },
        Amazon.DynamoDBv2.Model.ScanRequest scan => scan.ExclusiveStartKey is { Count: > 0 },
        Amazon.DynamoDBv2.Model.ExecuteStatementRequest statement => !string.IsNullOrEmpty(statement.NextToken),
        _ => false,
    };
}
