using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Mlm.Workbook;

/// <summary>
/// Every call the library makes to DynamoDB goes through here: throttling, server errors and dropped connections are
/// retried with exponential backoff and jitter; what cannot be retried surfaces at once, as a clear error where the
/// cause is known (a missing table, an endpoint that does not answer).
/// </summary>
internal static class Resilience
{
    /// <summary>Tries per call, the first included.</summary>
    public const int MaxAttempts = 8;

    private static readonly HashSet<string> RetryableCodes = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
        "InternalServerError", "InternalFailure", "ServiceUnavailable", "TransactionInProgressException",
    };

    /// <summary>Runs a call, retrying what is worth retrying.</summary>
    /// <param name="client">The client, for naming its endpoint in errors.</param>
    /// <param name="tableName">The table the call is about, for naming it in errors.</param>
    /// <param name="call">The call; it may run several times, so it must be safe to repeat.</param>
    /// <param name="cancellationToken">Stops the waiting between tries.</param>
    public static async Task<T> CallAsync<T>(IAmazonDynamoDB client, string tableName, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (ResourceNotFoundException)
            {
                throw new TableNotFoundException(tableName);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && attempt < MaxAttempts)
            {
                await Task.Delay(Backoff.Delay(attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
            {
                throw new DynamoDbUnreachableException(client.Config.ServiceURL ?? $"DynamoDB in {client.Config.RegionEndpoint?.SystemName ?? "the default region"}", e);
            }
        }
    }

    /// <summary>Whether an error is worth another try: throttling, a 5xx, or a connection that failed or timed out.</summary>
    public static bool IsTransient(Exception error, CancellationToken cancellationToken) =>
        error switch
        {
            AmazonServiceException service when service.ErrorCode is { } code && RetryableCodes.Contains(code) => true,
            AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } => true,
            _ => IsConnectionFailure(error, cancellationToken),
        };

    private static bool IsConnectionFailure(Exception error, CancellationToken cancellationToken)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or SocketException or IOException) return true;
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested) return true; // a timeout
        }
        return false;
    }
}

/// <summary>Exponential backoff with full jitter: a random delay up to 50 ms × 2^(attempt−1), capped at 5 s.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(5000, 50 * Math.Pow(2, Math.Min(attempt - 1, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
