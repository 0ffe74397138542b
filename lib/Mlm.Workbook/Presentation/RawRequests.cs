using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Presentation;

/// <summary>
/// What a library read sends, written as the request body DynamoDB receives (its JSON, as the AWS CLI and the API reference
/// show it): the table, the index, the key condition expression and its attribute values, each value with its type.
/// </summary>
public static class RawRequests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The request of a read, as JSON: <c>{"TableName": "mlm", "IndexName": "email-index", "KeyConditionExpression": …}</c>.</summary>
    public static string RawRequest(this ReadResult result)
    {
        if (result is null) throw new ArgumentNullException(nameof(result));
        return RawRequest(result.Request);
    }

    /// <inheritdoc cref="RawRequest(ReadResult)"/>
    public static string RawRequest(this ReadRequest request)
    {
        if (request is null) throw new ArgumentNullException(nameof(request));
        var body = new JsonObject();
        switch (request.Operation)
        {
            case "GetItem":
                body["TableName"] = request.TableName;
                body["Key"] = Values(request.Values.ToDictionary(v => v.Key.TrimStart(':'), v => v.Value));
                break;
            case ReadRequest.PartiQl:
                body["Statement"] = request.KeyCondition;
                body["Parameters"] = new JsonArray(request.Values.Values.Select(v => (JsonNode)new JsonObject { ["S"] = v }).ToArray());
                break;
            default:
                body["TableName"] = request.TableName;
                if (request.IndexName is not null) body["IndexName"] = request.IndexName;
                if (request.KeyCondition is not null)
                {
                    body["KeyConditionExpression"] = request.KeyCondition;
                    body["ExpressionAttributeValues"] = Values(request.Values);
                }
                break;
        }
        body["ReturnConsumedCapacity"] = "TOTAL";
        return $"{request.Operation}\n{body.ToJsonString(Indented)}";
    }

    private static JsonObject Values(IEnumerable<KeyValuePair<string, string>> values)
    {
        var node = new JsonObject();
        foreach (var (name, value) in values) node[name] = new JsonObject { ["S"] = value };
        return node;
    }
}
