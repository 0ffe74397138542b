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
