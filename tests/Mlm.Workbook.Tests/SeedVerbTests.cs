using System.Diagnostics;
using Mlm.Workbook.Tests.Kernel;

namespace Mlm.Workbook.Tests;

/// <summary>`seed` as a user runs it, against the tests' DynamoDB Local, locally and as if on AWS.</summary>
[Collection(nameof(NotebookRunnerCollection))]
public class SeedVerbTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(int ExitCode, string Output)> SeedAsync(string table, bool aws, params string[] arguments)
    {
        var start = new ProcessStartInfo(KernelProcess.Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("seed");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["MLM_TABLE"] = table;
        start.Environment.Remove("AWS_ENDPOINT_URL");
        start.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.Endpoint;
        if (aws)
        {
            // AWS mode through the SDK's default chain, pointed at DynamoDB Local with made-up credentials.
            start.Environment["MLM_DYNAMODB"] = "aws";
            start.Environment["AWS_ACCESS_KEY_ID"] = "test";
            start.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
            start.Environment["AWS_REGION"] = "us-east-1";
        }
        else start.Environment.Remove("MLM_DYNAMODB");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        return (process.ExitCode, await output + await errors);
    }

    [Fact]
    public async Task Seeding_with_keep_when_nothing_is_missing_says_so_instead_of_wrote_0_items()
    {
        var table = LocalDynamoDb.UniqueTableName("seed-keep");
        var first = await SeedAsync(table, aws: false, "--users", "10", "--sales", "5");
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Wrote 10 members and 5 sales (15 items)", first.Output);

        var again = await SeedAsync(table, aws: false, "--users", "10", "--sales", "5", "--existing", "keep");

        Assert.True(again.ExitCode == 0, again.Output);
        Assert.DoesNotContain("(0 items)", again.Output);
        Assert.Contains($"Nothing was missing: table \"{table}\" already holds all 10 members and 5 sales", again.Output);
    }

    [Fact]
    public async Task A_reset_on_AWS_without_confirmation_names_the_command_line_option()
    {
        var table = LocalDynamoDb.UniqueTableName("seed-confirm");
        Assert.Equal(0, (await SeedAsync(table, aws: true, "--users", "10", "--sales", "5")).ExitCode);

        var refused = await SeedAsync(table, aws: true, "--users", "10", "--sales", "5", "--existing", "reset");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"pass its name as confirmation: --confirm {table}", refused.Output);
        Assert.DoesNotContain("confirmTableName", refused.Output);
        var confirmed = await SeedAsync(table, aws: true, "--users", "10", "--sales", "5", "--existing", "reset", "--confirm", table);
        Assert.True(confirmed.ExitCode == 0, confirmed.Output);
    }
}

/// <summary>`dynamodb start` with transient statuses delayed, as the CI's AWS-mode run uses it.</summary>
[Collection(nameof(NotebookRunnerCollection))]
public class DelayedStatusesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<string> CliAsync(int port, params string[] arguments)
    {
        var start = new ProcessStartInfo(KernelProcess.Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["MLM_DYNAMODB_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["MLM_DYNAMODB_DELAY_TRANSIENT_STATUSES"] = "1";
        foreach (var name in new[] { "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL", "MLM_DYNAMODB" }) start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        Assert.True(process.ExitCode == 0, await output + await errors);
        return await output;
    }

    [Fact]
    public async Task With_MLM_DYNAMODB_DELAY_TRANSIENT_STATUSES_a_new_index_is_CREATING_for_a_while_as_on_AWS()
    {
        var port = DynamoDbLocal.FreePort();
        await CliAsync(port, "dynamodb", "start");
        try
        {
            var client = Connection.ForLocalEndpoint($"http://localhost:{port}");
            var name = LocalDynamoDb.UniqueTableName("delayed");
            await new MlmStore(client, name).CreateTableAsync(Cancel);
            // DynamoDB Local 3.3.1 makes tables ACTIVE at once even so, but builds an added index for about 30 s.
            await client.UpdateTableAsync(new Amazon.DynamoDBv2.Model.UpdateTableRequest
            {
                TableName = name,
                AttributeDefinitions = [new("first_sale", Amazon.DynamoDBv2.ScalarAttributeType.S)],
                GlobalSecondaryIndexUpdates = [new() { Create = new()
                {
                    IndexName = "first_sale-index", KeySchema = [new("first_sale", Amazon.DynamoDBv2.KeyType.HASH)],
                    Projection = new() { ProjectionType = Amazon.DynamoDBv2.ProjectionType.KEYS_ONLY },
                } }],
            }, Cancel);
            await Task.Delay(2000, Cancel);

            var table = (await client.DescribeTableAsync(name, Cancel)).Table;
            Assert.Equal("CREATING", table.GlobalSecondaryIndexes.Single(i => i.IndexName == "first_sale-index").IndexStatus.Value);
        }
        finally
        {
            await CliAsync(port, "dynamodb", "stop");
            try { Directory.Delete(Path.Combine(RepositoryRoot.Find(), ".dynamodb", port.ToString(System.Globalization.CultureInfo.InvariantCulture)), recursive: true); }
            catch (IOException) { }
        }
    }
}
