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
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ClientPolicy.OperationDeadline);
        try
        {
            return await call(deadline.Token).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            throw new TableNotFoundException(tableName);
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
