namespace Mlm.Workbook;

/// <summary>The table the store works on does not exist.</summary>
public sealed class TableNotFoundException(string tableName) : InvalidOperationException(
    $"Table \"{tableName}\" does not exist. Create it first: run notebooks/01-create-table.ipynb, " +
    "or `dotnet run --project lib/Mlm.Workbook.Cli -- seed`, or set MLM_TABLE to a table that exists.")
{
    /// <summary>The missing table.</summary>
    public string TableName { get; } = tableName;
}

/// <summary>Nothing answers at the DynamoDB endpoint, even after retrying.</summary>
public sealed class DynamoDbUnreachableException(string endpoint, Exception inner) : Exception(
    $"Nothing answers at {endpoint}. " + (Endpoints.IsLocal(endpoint)
        ? "Start DynamoDB Local (`dotnet run --project lib/Mlm.Workbook.Cli -- dynamodb start`), or fix AWS_ENDPOINT_URL_DYNAMODB, or unset it to let the workbook start its own."
        : "Check the network connection and the endpoint or region (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, AWS_REGION); for a DynamoDB you run yourself, start it."), inner)
{
    /// <summary>The endpoint that did not answer.</summary>
    public string Endpoint { get; } = endpoint;
}

/// <summary>The endpoint accepts connections but does not answer in time, even after retrying.</summary>
public sealed class DynamoDbTimeoutException(string endpoint, TimeSpan waited, Exception inner) : TimeoutException(
    $"{endpoint} accepted the connection but gave no answer within {waited.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} s. " + (Endpoints.IsLocal(endpoint)
        ? "Check that it is DynamoDB and that it is not paused or overloaded (`dotnet run --project lib/Mlm.Workbook.Cli -- dynamodb status`); restart it " +
          "(`dynamodb stop`, then `dynamodb start`), or fix AWS_ENDPOINT_URL_DYNAMODB."
        : "Check the network connection (a proxy or firewall may hold the request) and that AWS_ENDPOINT_URL_DYNAMODB, if set, names DynamoDB."), inner)
{
    /// <summary>The endpoint that stayed silent.</summary>
    public string Endpoint { get; } = endpoint;
}

/// <summary>Something answers at the endpoint, but not as DynamoDB does.</summary>
public sealed class NotDynamoDbException(string endpoint, int statusCode, Exception inner) : InvalidOperationException(
    $"{endpoint} answered HTTP {statusCode} with something that is not a DynamoDB response. Check that " +
    "AWS_ENDPOINT_URL_DYNAMODB (or AWS_ENDPOINT_URL, or MLM_DYNAMODB_PORT) names a DynamoDB endpoint, not another service.", inner)
{
    /// <summary>The endpoint.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>The HTTP status it answered with.</summary>
    public int StatusCode { get; } = statusCode;
}

/// <summary>A value that must be unique (an id, an email, a phone) is already taken; nothing was written.</summary>
public sealed class DuplicateValueException(string field, string value) : InvalidOperationException(
    $"The {field} \"{value}\" is already taken by another member; nothing was written.")
{
    /// <summary>Which field: <c>id</c>, <c>email</c> or <c>phone</c>.</summary>
    public string Field { get; } = field;

    /// <summary>The value that is taken.</summary>
    public string Value { get; } = value;
}

/// <summary>Seeding was refused: the table holds other data, or another seed is under way; nothing was written.</summary>
public sealed class SeedRefusedException(string message) : InvalidOperationException(message);

/// <summary>A table holds something other than the workbook's own data, so the workbook will not delete it.</summary>
public sealed class ForeignTableException(string message) : InvalidOperationException(message);

/// <summary>DynamoDB kept refusing requests as over its throughput (throttling), even after retrying.</summary>
public sealed class DynamoDbThrottledException(string endpoint, string tableName, Exception? inner) : Exception(
    $"{endpoint} throttled the requests on table \"{tableName}\" (ProvisionedThroughputExceeded or ThrottlingException), " +
    $"even after {ClientPolicy.MaxAttempts} tries with backoff. The table or account is over its throughput: wait a minute and run this again, " +
    "write with less concurrency, or raise the table's capacity (on-demand tables also have account and per-partition limits).", inner)
{
    /// <summary>The endpoint that throttled.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>The table the requests were for.</summary>
    public string TableName { get; } = tableName;
}

/// <summary>The table exists but is not ACTIVE yet (being created, or its indexes being built), even after waiting.</summary>
public sealed class TableNotActiveException(string tableName, string status, TimeSpan waited) : InvalidOperationException(
    $"Table \"{tableName}\" is {Describe(status)} ({status}) and was not ACTIVE after waiting {waited.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} s. " +
    "Run this again in a minute; `aws dynamodb wait table-exists --table-name " + tableName + "` waits until it is ready.")
{
    /// <summary>The table.</summary>
    public string TableName { get; } = tableName;

    /// <summary>Its status, e.g. CREATING or UPDATING.</summary>
    public string Status { get; } = status;

    private static string Describe(string status) => status switch
    {
        "CREATING" => "being created",
        "UPDATING" => "being updated",
        "DELETING" => "being deleted",
        _ => "not active yet",
    };
}

/// <summary>The endpoint is DynamoDB-like but does not support an operation (an older DynamoDB Local, or another implementation).</summary>
public sealed class UnsupportedOperationException(string endpoint, string operation, Exception inner) : InvalidOperationException(
    $"{endpoint} does not support the operation {operation} (UnknownOperationException). Use a current DynamoDB (Local 2.0 or newer, " +
    "or AWS), or point AWS_ENDPOINT_URL_DYNAMODB at one.", inner)
{
    /// <summary>The endpoint.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>The operation it refused.</summary>
    public string Operation { get; } = operation;
}

/// <summary>Deleting or resetting a table on AWS needs its name again as confirmation, and none (or another name) was given.</summary>
public sealed class ConfirmationRequiredException(string tableName, string action) : InvalidOperationException(
    $"\"{tableName}\" is a table on AWS; to {action} it, pass its name as confirmation (confirmTableName: \"{tableName}\").")
{
    /// <summary>The table.</summary>
    public string TableName { get; } = tableName;

    /// <summary>What was refused: <c>delete</c> or <c>reset</c>.</summary>
    public string Action { get; } = action;
}

/// <summary>Tells the workbook's own kind of endpoint (on this machine) from any other, for advice in messages.</summary>
internal static class Endpoints
{
    /// <summary>Whether an endpoint, as messages name it, is on this machine (where the workbook's DynamoDB Local runs).</summary>
    public static bool IsLocal(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether a client talks to the DynamoDB service itself (its regional endpoint, or an amazonaws.com URL), where
    /// DescribeTable's item count and size are refreshed only about every six hours and indexes lag behind writes.
    /// </summary>
    public static bool IsAws(Amazon.DynamoDBv2.IAmazonDynamoDB client) =>
        client.Config.ServiceURL is not { Length: > 0 } url
        || Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Host.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase)
                                                               || uri.Host.EndsWith(".amazonaws.com.cn", StringComparison.OrdinalIgnoreCase));
}
