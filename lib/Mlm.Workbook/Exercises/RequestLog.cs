using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace Mlm.Workbook;

/// <summary>
/// Records every request a client sends and what came back, while a recording is open. It listens to the SDK's own
/// pipeline events, below every way a notebook reaches DynamoDB: the library's helpers, <c>store.Client</c> with a request
/// object, the document model and PartiQL all pass through them.
/// </summary>
internal sealed class RequestLog
{
    private static readonly ConditionalWeakTable<IAmazonDynamoDB, RequestLog> Logs = new();

    private readonly object _gate = new();
    private Recording? _open;
    private Recording? _closed;

    private RequestLog(AmazonServiceClient client)
    {
        client.AfterResponseEvent += (_, e) =>
        {
            if (e is WebServiceResponseEventArgs args) Add(new SentRequest(args.Request, args.Response, null));
        };
        client.ExceptionEvent += (_, e) =>
        {
            if (e is WebServiceExceptionEventArgs args) Add(new SentRequest(args.Request, null, args.Exception));
        };
    }

    /// <summary>The log of a client, attached the first time it is asked for.</summary>
    /// <exception cref="ArgumentException">The client is not the SDK's own (nothing can be recorded).</exception>
    public static RequestLog For(IAmazonDynamoDB client) =>
        Logs.GetValue(client, c => c is AmazonServiceClient sdk ? new RequestLog(sdk)
            : throw new ArgumentException($"A {c.GetType().Name} cannot be recorded; use the store that Connection.OpenStoreAsync opens.", nameof(client)));

    /// <summary>Starts a new recording for an exercise whose answer works on <paramref name="tableName"/>, dropping any earlier one.</summary>
    public void Start(string exercise, string tableName)
    {
        lock (_gate) (_open, _closed) = (new Recording(exercise, tableName, []), null);
    }

    /// <summary>
    /// Ends the recording of an exercise and returns it; the same again for a check run twice. Null when that exercise
    /// was not being recorded.
    /// </summary>
    public Recording? Stop(string exercise)
    {
        lock (_gate)
        {
            if (_open?.Exercise == exercise) (_closed, _open) = (_open, null);
            return _closed?.Exercise == exercise ? _closed : null;
        }
    }

    private void Add(SentRequest request)
    {
        lock (_gate) _open?.Requests.Add(request);
    }
}

/// <summary>The requests sent while one exercise's answer ran, and the table it worked on.</summary>
internal sealed record Recording(string Exercise, string TableName, List<SentRequest> Requests);
