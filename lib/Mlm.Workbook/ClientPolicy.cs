using System.Net;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace Mlm.Workbook;

/// <summary>
/// How every DynamoDB client the workbook makes is configured, shipped and tested alike. The SDK owns retries
/// (standard mode, <see cref="MaxAttempts"/> tries with its own jittered backoff); every HTTP request has
/// <see cref="RequestTimeout"/>, and every library operation, retries included, an overall <see cref="OperationDeadline"/>.
/// </summary>
public static class ClientPolicy
{
    /// <summary>Tries per request, the first included (the SDK's <c>MaxErrorRetry</c> is one less).</summary>
    public const int MaxAttempts = 8;

    /// <summary>The longest one HTTP request may take before it is abandoned (and retried).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The longest a TCP connection may take to open.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The longest one library operation (one DynamoDB call with all its retries) may take.</summary>
    public static readonly TimeSpan OperationDeadline = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Applies the policy to a client configuration. <paramref name="innerHandler"/> lets tests put a fault-injecting
    /// handler at the HTTP boundary; the timeouts and retries stay those that ship.
    /// </summary>
    public static AmazonDynamoDBConfig Apply(AmazonDynamoDBConfig config, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = MaxAttempts - 1;
        // The retry quota would fail requests fast after a burst of faults; the operation deadline bounds the time instead.
        config.ThrottleRetries = false;
        config.Timeout = RequestTimeout;
        config.HttpClientFactory = new TimedHttpClientFactory(innerHandler);
        return config;
    }

    /// <summary>
    /// The client <see cref="Connection.ForLocalEndpoint"/> makes, with a handler between the SDK and the network (tests
    /// inject faults there). It lives here, not on <see cref="Connection"/>, so that notebook code binding to
    /// <see cref="Connection"/> never needs System.Net.Http's types (a net8.0 library in a newer kernel warns CS1701 when it does).
    /// </summary>
    /// <param name="endpoint">An http:// or https:// URL.</param>
    /// <param name="innerHandler">The handler, or null for none.</param>
    /// <exception cref="ArgumentException">The endpoint is not an http:// or https:// URL.</exception>
    public static IAmazonDynamoDB LocalClient(string endpoint, HttpMessageHandler? innerHandler)
    {
        ConnectionSettings.CheckEndpoint(endpoint);
        var config = Apply(new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" }, innerHandler);
        return new AmazonDynamoDBClient(new BasicAWSCredentials(LocalCredentials.CurrentAccessKey, LocalCredentials.SecretKey), config);
    }

    /// <summary>Makes the SDK's HttpClient: a connect timeout, a request timeout, and optionally a handler in between.</summary>
    private sealed class TimedHttpClientFactory(HttpMessageHandler? innerHandler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        {
            var handler = innerHandler ?? new SocketsHttpHandler
            {
                ConnectTimeout = ConnectTimeout,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            };
            return new HttpClient(handler, disposeHandler: innerHandler is null) { Timeout = RequestTimeout };
        }

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override string GetConfigUniqueString(IClientConfig clientConfig) => "mlm-workbook";
    }
}
