using Mlm.Workbook;

namespace Mlm.Workbook.Cli;

/// <summary>
/// Runs a verb's work against the configured DynamoDB. DynamoDB Local answers on every network interface without
/// authentication and cannot be confined to loopback, so an instance started for the work is stopped after it — also
/// when the work fails or is interrupted (SIGINT, SIGTERM) — unless the user asks to keep it.
/// </summary>
internal static class WithDynamoDb
{
    public static async Task<int> RunAsync(bool keep, Func<ConnectionSettings, CancellationToken, Task<int>> work)
    {
        var settings = ConnectionSettings.FromEnvironment();
        Task<DynamoDbLocalInstance?> startup = Task.FromResult<DynamoDbLocalInstance?>(null);
        return await Interruption.RunAsync(async cancellationToken =>
        {
            // Not cancelled by a signal: a start cut off half way could leave Java running unrecorded; the cleanup waits for it instead.
            startup = StartAsync(settings);
            var started = await startup.ConfigureAwait(false);
            try
            {
                return await work(settings, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // On a signal the interruption's cleanup stops it and says so, once.
                if (started is not null && !keep && !cancellationToken.IsCancellationRequested)
                    Console.WriteLine(await DynamoDbLocal.StopAsync(started.Port).ConfigureAwait(false) + " (--keep-dynamodb keeps it running.)");
            }
        }, async () =>
        {
            var started = await startup.ConfigureAwait(false);
            if (started is null) return "nothing was started, so nothing was stopped.";
            if (keep) return $"the DynamoDB Local this command started on port {started.Port} keeps running (--keep-dynamodb).";
            return (await DynamoDbLocal.StopAsync(started.Port).ConfigureAwait(false)).Replace("Stopped", "stopped the", StringComparison.Ordinal)
                .Replace(" (process", ", which this command started (process", StringComparison.Ordinal);
        }).ConfigureAwait(false);
    }

    private static async Task<DynamoDbLocalInstance?> StartAsync(ConnectionSettings settings)
    {
        switch (settings.Target)
        {
            case DynamoDbTarget.EmbeddedLocal:
                var instance = await DynamoDbLocal.EnsureRunningAsync(settings.LocalPort).ConfigureAwait(false);
                Console.WriteLine($"DynamoDB Local {(instance.StartedNow ? "started" : "is running")} at {instance.Endpoint}, table \"{settings.TableName}\".");
                return instance.StartedNow ? instance : null;
            case DynamoDbTarget.Aws:
                Console.WriteLine($"DynamoDB: AWS (MLM_DYNAMODB=aws), table \"{settings.TableName}\".");
                return null;
            default:
                Console.WriteLine($"DynamoDB: {settings.Endpoint}, table \"{settings.TableName}\".");
                return null;
        }
    }
}
