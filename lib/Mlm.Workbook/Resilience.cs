using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Mlm.Workbook;

/// <summary>
/// Every call the library makes to DynamoDB goes through here. Retrying is the SDK's job (see <see cref="ClientPolicy"/>);
/// this adds the overall deadline of one operation and turns what is known about a failure into a clear error:
/// a missing table, an endpoint where nothing answers, one that stays silent, one that is not DynamoDB.
/// </summary>
internal static class Resilience
{
    /// <summary>Runs one DynamoDB call, retries included, within <see cref="ClientPolicy.OperationDeadline"/>.</summary>
    /// <param name="client">The client, for naming its endpoint in errors.</param>
    /// <param name="tableName">The table the call is about, for naming it in errors.</param>
    /// <param name="call">The call, given a token that ends at the deadline or when <paramref name="cancellationToken"/> is cancelled.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<T> CallAsync<T>(IAmazonDynamoDB client, string tableName, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await CallOnceAsync(client, tableName, call, cancellationToken).ConfigureAwait(false);
        }
        catch (TableNotFoundException) when (!IsTableAdministration<T>())
        {
            // AWS answers ResourceNotFoundException for a table that exists but is still CREATING: wait for it, then try again.
            var table = await TableDefinition.TryDescribeAsync(client, tableName, cancellationToken).ConfigureAwait(false);
            if (table is null) throw;
            if (table.TableStatus != TableStatus.ACTIVE)
            {
                try
                {
                    await TableDefinition.WaitUntilActiveAsync(client, tableName, ClientPolicy.OperationDeadline, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    var now = await TableDefinition.TryDescribeAsync(client, tableName, cancellationToken).ConfigureAwait(false);
                    throw new TableNotActiveException(tableName, now?.TableStatus?.Value ?? table.TableStatus?.Value ?? "unknown", ClientPolicy.OperationDeadline);
                }
            }
            return await CallOnceAsync(client, tableName, call, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTableAdministration<T>() =>
        typeof(T) == typeof(DescribeTableResponse) || typeof(T) == typeof(CreateTableResponse) || typeof(T) == typeof(DeleteTableResponse);

    /// <summary>The operation a response type belongs to, for messages: GetItemResponse is GetItem.</summary>
    private static string OperationOf<T>() => typeof(T).Name.EndsWith("Response", StringComparison.Ordinal) ? typeof(T).Name[..^8] : typeof(T).Name;

    private static async Task<T> CallOnceAsync<T>(IAmazonDynamoDB client, string tableName, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ClientPolicy.OperationDeadline);
        var observed = new Observed();
        Current.Value = observed;
        try
        {
            return await call(deadline.Token).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            throw new TableNotFoundException(tableName);
        }
        catch (AmazonServiceException e) when (IsThrottling(e.ErrorCode))
        {
            throw new DynamoDbThrottledException(EndpointOf(client), tableName, e);
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "UnknownOperationException")
        {
            throw new UnsupportedOperationException(EndpointOf(client), OperationOf<T>(), e);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested && observed.Throttled)
        {
            // The deadline ended the SDK's backoff between throttled tries.
            throw new DynamoDbThrottledException(EndpointOf(client), tableName, e);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested && !IsConnectionRefused(e))
        {
            throw new DynamoDbTimeoutException(EndpointOf(client), ClientPolicy.OperationDeadline, e);
        }
        catch (AmazonServiceException e) when (IsNotDynamoDb(e))
        {
            throw new NotDynamoDbException(EndpointOf(client), (int)e.StatusCode, e);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            throw new DynamoDbUnreachableException(EndpointOf(client), e);
        }
    }

    /// <summary>What the HTTP layer saw during the current call (see ClientPolicy's ThrottleObserver).</summary>
    internal sealed class Observed
    {
        private int _throttled;
        public bool Throttled => Volatile.Read(ref _throttled) != 0;
        public void NoteThrottled() => Volatile.Write(ref _throttled, 1);
    }

    /// <summary>The current call's observations; flows with the call into the SDK's HTTP requests.</summary>
    internal static readonly AsyncLocal<Observed?> Current = new();

    /// <summary>Whether a DynamoDB error code means throttling.</summary>
    internal static bool IsThrottling(string? errorCode) =>
        errorCode is "ProvisionedThroughputExceededException" or "ThrottlingException" or "RequestLimitExceeded";

    /// <summary>The endpoint a client talks to, for messages.</summary>
    public static string EndpointOf(IAmazonDynamoDB client) =>
        client.Config.ServiceURL ?? $"DynamoDB in {client.Config.RegionEndpoint?.SystemName ?? "the default region"}";

    // The SDK could not read the answer as a DynamoDB error: no error type, or its generic "see inner exception".
    private static bool IsNotDynamoDb(AmazonServiceException error) =>
        error.StatusCode != HttpStatusCode.OK && string.IsNullOrEmpty(error.ErrorCode) ||
        error.Message.StartsWith("The service returned an error", StringComparison.Ordinal) ||
        error.InnerException is Amazon.Runtime.Internal.HttpErrorResponseException { Response: not null } && string.IsNullOrEmpty(error.ErrorCode);

    private static bool IsConnectionRefused(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable }) return true;
        return false;
    }

    private static bool IsConnectionFailure(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
            if (e is HttpRequestException or SocketException or IOException) return true;
        return false;
    }
}
