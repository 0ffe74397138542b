using Mlm.Workbook;

namespace Mlm.Workbook.Cli;

/// <summary>
/// Runs a verb's work against the configured DynamoDB. DynamoDB Local answers on every network interface without
/// authentication and cannot be confined to loopback, so an instance started for the work is stopped after it,
/// unless the user asks to keep it.
/// </summary>
internal static class WithDynamoDb
{
    public static async Task<int> RunAsync(bool keep, Func<ConnectionSettings, Task<int>> work)
    {
        var settings = ConnectionSettings.FromEnvironment();
        DynamoDbLocalInstance? started = null;
        switch (settings.Target)
        {
            case DynamoDbTarget.EmbeddedLocal:
                var instance = await DynamoDbLocal.EnsureRunningAsync(settings.LocalPort);
                if (instance.StartedNow) started = instance;
                Console.WriteLine($"DynamoDB Local {(instance.StartedNow ? "started" : "is running")} at {instance.Endpoint}, table \"{settings.TableName}\".");
                break;
            case DynamoDbTarget.Aws:
                Console.WriteLine($"DynamoDB: AWS (MLM_DYNAMODB=aws), table \"{settings.TableName}\".");
                break;
            default:
                Console.WriteLine($"DynamoDB: {settings.Endpoint}, table \"{settings.TableName}\".");
                break;
        }
        try
        {
            return await work(settings);
        }
        finally
        {
            if (started is not null && !keep)
                Console.WriteLine(await DynamoDbLocal.StopAsync(started.Port) + " (--keep-dynamodb keeps it running.)");
        }
    }
}
