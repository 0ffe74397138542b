using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace Mlm.Workbook;

/// <summary>Where the workbook's DynamoDB is.</summary>
public enum DynamoDbTarget
{
    /// <summary>The DynamoDB Local this repository installs and starts itself (the default).</summary>
    EmbeddedLocal,
    /// <summary>Any endpoint named by <c>AWS_ENDPOINT_URL_DYNAMODB</c> or <c>AWS_ENDPOINT_URL</c>, such as a DynamoDB Local you run yourself.</summary>
    Endpoint,
    /// <summary>Real AWS, through the SDK's default credential and region chain (<c>MLM_DYNAMODB=aws</c>).</summary>
    Aws,
}

/// <summary>Connection settings, normally read from the environment.</summary>
/// <param name="Target">Which DynamoDB to use.</param>
/// <param name="Endpoint">The endpoint URL, for <see cref="DynamoDbTarget.Endpoint"/> (and optionally for AWS).</param>
/// <param name="TableName">The table name (<c>MLM_TABLE</c>, default <c>mlm</c>).</param>
/// <param name="LocalPort">The embedded DynamoDB Local's port (<c>MLM_DYNAMODB_PORT</c>, default 8000).</param>
public sealed partial record ConnectionSettings(DynamoDbTarget Target, string? Endpoint, string TableName, int LocalPort)
{
    /// <summary>The embedded DynamoDB Local's port when none is configured.</summary>
    public const int DefaultLocalPort = 8000;

    /// <summary>The embedded DynamoDB Local's port, a TCP port from 1 to 65535.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is out of that range; the message says so.</exception>
    public int LocalPort { get; init; } = CheckPort(LocalPort, "MLM_DYNAMODB_PORT");

    /// <summary>
    /// Reads <c>MLM_DYNAMODB</c> (<c>local</c> or <c>aws</c>), <c>AWS_ENDPOINT_URL_DYNAMODB</c>,
    /// <c>AWS_ENDPOINT_URL</c>, <c>MLM_TABLE</c> and <c>MLM_DYNAMODB_PORT</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A variable has a value that cannot be used; the message names it.</exception>
    public static ConnectionSettings FromEnvironment()
    {
        static string? Read(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;

        var endpointVariable = Read("AWS_ENDPOINT_URL_DYNAMODB") is not null ? "AWS_ENDPOINT_URL_DYNAMODB" : "AWS_ENDPOINT_URL";
        var endpoint = Read(endpointVariable);
        if (endpoint is not null) CheckEndpoint(endpoint, endpointVariable);

        var target = Read("MLM_DYNAMODB")?.ToLowerInvariant() switch
        {
            null or "local" => endpoint is null ? DynamoDbTarget.EmbeddedLocal : DynamoDbTarget.Endpoint,
            "aws" => DynamoDbTarget.Aws,
            var other => throw new ArgumentException($"MLM_DYNAMODB is \"{other}\"; use \"local\" (the default) or \"aws\"."),
        };

        var portText = Read("MLM_DYNAMODB_PORT");
        var port = DefaultLocalPort;
        if (portText is not null && !int.TryParse(portText, out port))
            throw new ArgumentException($"MLM_DYNAMODB_PORT is \"{portText}\", which is not a number; use a port number from 1 to 65535.");
        if (port is < 1 or > 65535)
            throw new ArgumentException($"MLM_DYNAMODB_PORT is \"{portText}\", which is out of range: a port number is from 1 to 65535.");

        var table = Read("MLM_TABLE") ?? TableDefinition.DefaultTableName;
        if (!TableNamePattern().IsMatch(table))
            throw new ArgumentException(
                $"MLM_TABLE is \"{table}\", which is not a DynamoDB table name: use 3 to 255 characters, each a letter (a-z, A-Z), a digit, '_', '-' or '.'.");
        return new ConnectionSettings(target, endpoint, table, port);
    }

    /// <summary>Checks that a port is a TCP port, 1 to 65535.</summary>
    /// <param name="port">The port.</param>
    /// <param name="source">Where it came from, for the message (a variable or parameter name).</param>
    /// <exception cref="ArgumentOutOfRangeException">It is not; the message calls it out of range and names the source.</exception>
    public static int CheckPort(int port, string source) => port is >= 1 and <= 65535 ? port
        : throw new ArgumentOutOfRangeException(source, port, $"Port {port} ({source}) is out of range: a port number is from 1 to 65535.");

    // DynamoDB's rule for table names, so that a bad MLM_TABLE is named here rather than in a validation error from the service.
    [GeneratedRegex("^[A-Za-z0-9_.-]{3,255}$")]
    private static partial Regex TableNamePattern();

    /// <summary>Checks that an endpoint is an http:// or https:// URL with a host, as the SDK needs.</summary>
    /// <param name="endpoint">The URL.</param>
    /// <param name="source">Where it came from, for the message (a variable name).</param>
    /// <exception cref="ArgumentException">It is not; the message names the source and gives an example.</exception>
    public static Uri CheckEndpoint(string endpoint, string source = "The endpoint")
    {
        if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host) && string.IsNullOrEmpty(uri.UserInfo))
            return uri;
        throw new ArgumentException(
            $"{source} is \"{endpoint}\", which is not an http:// or https:// URL. Write the scheme, host and port, " +
            "for example http://localhost:8000, or unset it to let the workbook start its own DynamoDB Local.");
    }
}

/// <summary>Makes DynamoDB clients for the workbook.</summary>
public static class Connection
{
    /// <summary>
    /// A client for the configured DynamoDB. For the embedded DynamoDB Local, starts it first if it
    /// is not already running (it keeps running, and keeps its data, after this process ends).
    /// </summary>
    public static async Task<IAmazonDynamoDB> ConnectAsync(ConnectionSettings? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= ConnectionSettings.FromEnvironment();
        switch (settings.Target)
        {
            case DynamoDbTarget.Aws:
                var config = ClientPolicy.Apply(new AmazonDynamoDBConfig());
                if (settings.Endpoint is not null) config.ServiceURL = settings.Endpoint;
                try
                {
                    return new AmazonDynamoDBClient(config);
                }
                catch (AmazonClientException e) when (config.RegionEndpoint is null && settings.Endpoint is null)
                {
                    // The SDK's own message ("No RegionEndpoint or ServiceURL configured") does not say where a region comes from.
                    throw new InvalidOperationException(
                        "MLM_DYNAMODB=aws needs an AWS region, and none is configured. Set AWS_REGION (for example AWS_REGION=eu-west-1), " +
                        "or give the profile a region: `region = eu-west-1` under its name in ~/.aws/config (the profile AWS_PROFILE names, " +
                        "else [default]; AWS_CONFIG_FILE names another file).", e);
                }
            case DynamoDbTarget.Endpoint:
                return ForLocalEndpoint(settings.Endpoint!);
            default:
                var instance = await DynamoDbLocal.EnsureRunningAsync(settings.LocalPort, cancellationToken: cancellationToken).ConfigureAwait(false);
                return ForLocalEndpoint(instance.Endpoint);
        }
    }

    /// <summary>
    /// A store for the configured DynamoDB and table; see <see cref="ConnectAsync"/>. On AWS, deleting or
    /// resetting its table needs the table's name as confirmation.
    /// </summary>
    public static async Task<MlmStore> OpenStoreAsync(ConnectionSettings? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= ConnectionSettings.FromEnvironment();
        return new MlmStore(await ConnectAsync(settings, cancellationToken).ConfigureAwait(false), settings.TableName,
            confirmDeletes: settings.Target == DynamoDbTarget.Aws);
    }

    /// <summary>
    /// A client for a DynamoDB Local endpoint, with dummy credentials and a fixed region so the SDK never
    /// looks for real credentials or asks an instance metadata service; retries and timeouts are those of <see cref="ClientPolicy"/>.
    /// </summary>
    /// <param name="endpoint">An http:// or https:// URL.</param>
    /// <exception cref="ArgumentException">The endpoint is not an http:// or https:// URL.</exception>
    public static IAmazonDynamoDB ForLocalEndpoint(string endpoint) => ClientPolicy.LocalClient(endpoint, innerHandler: null);
}

/// <summary>The dummy credentials every local endpoint gets, so the SDK never looks for real ones.</summary>
public static class LocalCredentials
{
    /// <summary>The access key id sent to a local endpoint unless <see cref="AccessKeyVariable"/> names another.</summary>
    public const string AccessKey = "local";

    /// <summary>
    /// <c>MLM_DYNAMODB_ACCESS_KEY</c>: another access key id for local endpoints. A DynamoDB Local started without
    /// <c>-sharedDb</c> keeps one database per access key id and region, so a distinct key sees only its own tables
    /// (grading gives each hand-in one).
    /// </summary>
    public const string AccessKeyVariable = "MLM_DYNAMODB_ACCESS_KEY";

    /// <summary>The access key id this process sends to local endpoints: <see cref="AccessKeyVariable"/>, else <see cref="AccessKey"/>.</summary>
    public static string CurrentAccessKey =>
        Environment.GetEnvironmentVariable(AccessKeyVariable) is { Length: > 0 } key ? key.Trim() : AccessKey;

    /// <summary>The secret key used to sign requests to a local endpoint.</summary>
    public const string SecretKey = "local";
}
