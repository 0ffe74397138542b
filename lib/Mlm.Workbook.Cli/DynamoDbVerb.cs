using System.CommandLine;
using Mlm.Workbook;

namespace Mlm.Workbook.Cli;

/// <summary>The <c>dynamodb start|stop|status</c> verb: the embedded DynamoDB Local the notebooks share.</summary>
internal static class DynamoDbVerb
{
    public static Command Command()
    {
        var start = new Command("start", "Start the notebooks' DynamoDB Local (data in .dynamodb/PORT/), or report the one already running.");
        start.SetAction(async (_, cancellationToken) =>
        {
            var instance = await DynamoDbLocal.EnsureRunningAsync(Port(), cancellationToken: cancellationToken);
            Console.WriteLine($"DynamoDB Local is running at {instance.Endpoint}" + (instance.DataDirectory is null ? "." : $", data in {instance.DataDirectory}."));
            return 0;
        });
        var stop = new Command("stop", "Stop it, if this workbook started it; the recorded process is checked before it is signalled.");
        stop.SetAction(async (_, cancellationToken) =>
        {
            Console.WriteLine(await DynamoDbLocal.StopAsync(Port(), cancellationToken: cancellationToken));
            return 0;
        });
        var status = new Command("status", "Say what runs on the port: this workbook's DynamoDB Local, another DynamoDB, something else, or nothing.");
        status.SetAction(async (_, cancellationToken) =>
        {
            Console.WriteLine(await DynamoDbLocal.StatusAsync(Port(), cancellationToken));
            return 0;
        });
        return new Command("dynamodb", "The embedded DynamoDB Local the notebooks share (port: MLM_DYNAMODB_PORT, default 8000).") { start, stop, status };
    }

    private static int Port() => ConnectionSettings.FromEnvironment().LocalPort;
}
