using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Tests;

/// <summary>
/// Answers requests for some operations with a scripted response (or a rewritten real one), as AWS does in states
/// DynamoDB Local never reaches; every other request goes through to DynamoDB Local.
/// </summary>
public sealed class ScriptedAnswerHandler(Func<string, int, HttpResponseMessage?> answer, Func<string, JsonNode, JsonNode>? rewrite = null)
    : DelegatingHandler(new HttpClientHandler())
{
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);

    /// <summary>How many requests of an operation (e.g. "GetItem") were sent.</summary>
    public int Calls(string operation) { lock (_calls) return _calls.GetValueOrDefault(operation); }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.Single() : "";
        var operation = target[(target.LastIndexOf('.') + 1)..];
        int n;
        lock (_calls) n = _calls[operation] = _calls.GetValueOrDefault(operation) + 1;
        if (answer(operation, n) is { } scripted) return scripted;
        var response = await base.SendAsync(request, cancellationToken);
        if (rewrite is null || response.StatusCode != HttpStatusCode.OK) return response;
        var body = rewrite(operation, JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.0") };
    }

    /// <summary>A DynamoDB error response.</summary>
    public static HttpResponseMessage Error(string type, string? message, HttpStatusCode status = HttpStatusCode.BadRequest) => new(status)
    {
        Content = new StringContent(message is null ? $"{{\"__type\":\"{type}\"}}" : $"{{\"__type\":\"{type}\",\"message\":\"{message}\"}}",
            Encoding.UTF8, "application/x-amz-json-1.0"),
    };
}

/// <summary>Faults that real AWS gives and DynamoDB Local does not, each reported for what it is.</summary>
public class AwsFaultTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded.")]
    [InlineData("com.amazonaws.dynamodb.v20120810#ThrottlingException", "Rate of requests exceeds the allowed throughput.")]
    public async Task Throttling_that_outlasts_the_retries_is_reported_as_throttling_not_as_a_dead_endpoint(string type, string message)
    {
        var (seeded, _) = await dynamo.SeededTableAsync("throttled");
        var handler = new ScriptedAnswerHandler((operation, _) => operation == "GetItem" ? ScriptedAnswerHandler.Error(type, message) : null);
        var store = new MlmStore(FaultyClients.Through(handler, dynamo.Endpoint), seeded.TableName);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => store.GetMemberAsync("001", Cancel));

        Assert.IsType<DynamoDbThrottledException>(error);
        Assert.Contains("throttl", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(seeded.TableName, error.Message);
        Assert.DoesNotContain("Nothing answers", error.Message);
        Assert.DoesNotContain("gave no answer", error.Message);
        Assert.True(handler.Calls("GetItem") > 1, "the throttled request was not retried");
    }

    [Fact]
    public async Task A_table_still_being_created_is_waited_for_and_then_read()
    {
        var (seeded, _) = await dynamo.SeededTableAsync("creating");
        // AWS answers ResourceNotFoundException to item requests while the table is CREATING; here it is for three describes.
        var describes = 0;
        var handler = new ScriptedAnswerHandler(
            (operation, _) => operation == "GetItem" && Volatile.Read(ref describes) <= 3
                ? ScriptedAnswerHandler.Error("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "Requested resource not found") : null,
            (operation, body) =>
            {
                if (operation == "DescribeTable" && Interlocked.Increment(ref describes) <= 3) body["Table"]!["TableStatus"] = "CREATING";
                return body;
            });
        var store = new MlmStore(FaultyClients.Through(handler, dynamo.Endpoint), seeded.TableName);

        var member = await store.GetMemberAsync("001", Cancel);

        Assert.Single(member.Members());
    }

    [Fact]
    public async Task A_table_that_stays_in_creation_is_named_as_not_active_yet_not_as_missing()
    {
        var (seeded, _) = await dynamo.SeededTableAsync("stays-creating");
        var handler = new ScriptedAnswerHandler(
            (operation, _) => operation == "GetItem"
                ? ScriptedAnswerHandler.Error("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "Requested resource not found") : null,
            (operation, body) =>
            {
                if (operation == "DescribeTable") body["Table"]!["TableStatus"] = "CREATING";
                return body;
            });
        var store = new MlmStore(FaultyClients.Through(handler, dynamo.Endpoint), seeded.TableName);

        var error = await Assert.ThrowsAsync<TableNotActiveException>(() => store.GetMemberAsync("001", Cancel));

        Assert.Contains($"Table \"{seeded.TableName}\" is being created (CREATING)", error.Message);
        Assert.DoesNotContain("does not exist", error.Message);
    }

    [Fact]
    public async Task An_operation_the_endpoint_does_not_know_is_named_not_called_a_foreign_service()
    {
        var (seeded, _) = await dynamo.SeededTableAsync("unknown-op");
        var handler = new ScriptedAnswerHandler((operation, _) => operation == "GetItem"
            ? ScriptedAnswerHandler.Error("com.amazon.coral.service#UnknownOperationException", null) : null);
        var store = new MlmStore(FaultyClients.Through(handler, dynamo.Endpoint), seeded.TableName);

        var error = await Assert.ThrowsAsync<UnsupportedOperationException>(() => store.GetMemberAsync("001", Cancel));

        Assert.Contains("does not support the operation GetItem", error.Message);
        Assert.DoesNotContain("not a DynamoDB response", error.Message);
    }

    [Fact]
    public async Task An_endpoint_off_this_machine_where_nothing_answers_is_not_told_to_start_DynamoDB_Local()
    {
        var config = ClientPolicy.Apply(new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = "https://dynamodb.nowhere.invalid", AuthenticationRegion = "eu-west-1" });
        var client = new Amazon.DynamoDBv2.AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("a", "b"), config);
        var store = new MlmStore(client, "mlm", confirmDeletes: true);

        var error = await Assert.ThrowsAsync<DynamoDbUnreachableException>(() => store.GetMemberAsync("001", Cancel));

        Assert.Contains("Nothing answers at https://dynamodb.nowhere.invalid", error.Message);
        Assert.DoesNotContain("DynamoDB Local", error.Message);
        Assert.Contains("network", error.Message);
    }
}

/// <summary>Sends what a client addresses to AWS's regional endpoint to DynamoDB Local instead, so a test sees the AWS paths.</summary>
public sealed class AwsLookalikeHandler(string localEndpoint) : DelegatingHandler(new HttpClientHandler())
{
    public readonly List<string> Operations = [];

    /// <summary>After each TransactWriteItems, this many index queries answer with nothing, as a lagging GSI does.</summary>
    public int LaggingIndexQueries { get; set; }

    private int _lagLeft;

    /// <summary>A client configured for AWS (us-east-1's own endpoint) whose requests go to DynamoDB Local.</summary>
    public static (Amazon.DynamoDBv2.IAmazonDynamoDB Client, AwsLookalikeHandler Handler) Client(string localEndpoint)
    {
        var handler = new AwsLookalikeHandler(localEndpoint);
        var config = ClientPolicy.Apply(new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = "https://dynamodb.us-east-1.amazonaws.com", AuthenticationRegion = "us-east-1" }, handler);
        return (new Amazon.DynamoDBv2.AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("a", "b"), config), handler);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.Single() : "";
        var operation = target[(target.LastIndexOf('.') + 1)..];
        lock (Operations) Operations.Add(operation);
        if (operation == "TransactWriteItems") Volatile.Write(ref _lagLeft, LaggingIndexQueries);
        if (operation == "Query" && Volatile.Read(ref _lagLeft) > 0
            && (await request.Content!.ReadAsStringAsync(cancellationToken)).Contains("\"IndexName\"", StringComparison.Ordinal)
            && Interlocked.Decrement(ref _lagLeft) >= 0)
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("{\"Count\":0,\"Items\":[],\"ScannedCount\":0}", Encoding.UTF8, "application/x-amz-json-1.0"),
            };
        request.RequestUri = new Uri(new Uri(localEndpoint), request.RequestUri!.PathAndQuery);
        request.Headers.Host = null;
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>On AWS, DescribeTable's item count and size lag by hours: nothing depends on them there.</summary>
public class AwsStatisticsTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_AWS_the_downline_walk_does_not_read_the_table_statistics_and_the_overview_says_they_lag()
    {
        var (seeded, data) = await dynamo.SeededTableAsync("aws-stats");
        var (client, handler) = AwsLookalikeHandler.Client(dynamo.Endpoint);
        var store = new MlmStore(client, seeded.TableName, confirmDeletes: true);

        var walk = await store.GetWholeDownlineAsync(data.Members[0].Id, cancellationToken: Cancel);

        Assert.Equal(data.Members.Count - 1, walk.Members.Count);
        Assert.DoesNotContain("DescribeTable", handler.Operations);
        var overview = await store.DescribeTableAsync(Cancel);
        Assert.True(overview.StatisticsMayLag);
        Assert.Contains("Item count (AWS refreshes it about every 6 hours)", Mlm.Workbook.Presentation.Frames.Overview(overview).Columns[0].Cast<string>());
        Assert.False((await seeded.DescribeTableAsync(Cancel)).StatisticsMayLag);
    }

    [Fact]
    public async Task On_AWS_a_registration_returns_once_the_indexes_show_it_so_the_lookups_and_the_recruit_check_after_it_see_it()
    {
        var (seeded, data) = await dynamo.SeededTableAsync("aws-index-lag");
        var (client, handler) = AwsLookalikeHandler.Client(dynamo.Endpoint);
        handler.LaggingIndexQueries = 3;
        var store = new MlmStore(client, seeded.TableName, confirmDeletes: true);
        var recruiter = data.Members[^1];
        var newcomer = new Member((data.Members.Count + 1).ToString("000", System.Globalization.CultureInfo.InvariantCulture), recruiter.Id, "New Comer",
            "new.comer@example.com", "555-0199", "1 New Street", "2025-02-20T00:00:00.000000");

        await store.RegisterMemberAsync(newcomer, Cancel);

        Assert.Single((await store.FindMemberByEmailAsync(newcomer.Email, Cancel)).Members());
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.RemoveMemberAsync(recruiter.Id, Cancel));
    }
}

/// <summary>The grader on AWS, where an index read right after the answer's own writes may lag.</summary>
public class GraderIndexLagTests(LocalDynamoDb dynamo)
{
    [Fact]
    public void A_failed_check_of_an_answer_that_read_an_index_after_writing_says_the_index_may_lag_on_AWS_only()
    {
        var write = new SentRequest(new Amazon.DynamoDBv2.Model.UpdateItemRequest { TableName = "mlm" }, null, null);
        var indexRead = new SentRequest(new Amazon.DynamoDBv2.Model.ScanRequest { TableName = "mlm", IndexName = "seller-index" }, null, null);
        var tableRead = new SentRequest(new Amazon.DynamoDBv2.Model.ScanRequest { TableName = "mlm" }, null, null);
        var (aws, _) = AwsLookalikeHandler.Client(dynamo.Endpoint);

        Assert.Contains("index read right after your own writes", Exercise.IndexLagNote(aws, [write, indexRead]));
        Assert.Equal("", Exercise.IndexLagNote(aws, [indexRead, write]));
        Assert.Equal("", Exercise.IndexLagNote(aws, [write, tableRead]));
        Assert.Equal("", Exercise.IndexLagNote(dynamo.Client(), [write, indexRead]));
    }
}
