using System.Diagnostics;
using Amazon.Runtime;
using Mlm.Workbook;
using Mlm.Workbook.Cli;

const string Usage = """
    Usage: dotnet run --project lib/Mlm.Workbook.Cli -- <verb> [options]

    Verbs:
      run [NOTEBOOK-OR-FOLDER...] [--out DIR] [--in-place] [--set NAME=VALUE]... [--stop-on-error] [--keep-dynamodb]
                                   run notebooks headless (default: notebooks/), write the executed
                                   notebooks and report.html to DIR (default: artifacts/)
      seed [--users N] [--sales N] [--seed N] [--date YYYY-MM-DD] [--existing refuse|reset|keep] [--confirm TABLE] [--keep-dynamodb]
                                   create the table if missing and load fake members and sales
                                   (defaults: 80 members, 20 sales, seed 42, date 2025-02-20)
      bench [--items N]            measure bulk load, access patterns, downline walks and DataFrame conversion
                                   (default 100,000 items; in a private in-memory DynamoDB Local unless
                                   AWS_ENDPOINT_URL_DYNAMODB names one); build with -c Release
      dynamodb start|stop|status   the embedded DynamoDB Local the notebooks share (port: MLM_DYNAMODB_PORT, default 8000)

    run and seed stop the embedded DynamoDB Local at the end if they started it, unless --keep-dynamodb.

    Environment: AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL (any DynamoDB endpoint),
                 MLM_DYNAMODB=aws (real AWS), MLM_TABLE (table name, default mlm).
    """;

try
{
    return args switch
    {
        ["dynamodb", var action] => await DynamoDbVerb(action),
        ["run", .. var runArguments] => await RunVerb.RunAsync(runArguments),
        ["assign", .. var assignArguments] => await AssignVerb.RunAsync(assignArguments),
        ["grade", .. var gradeArguments] => await GradeVerb.RunAsync(gradeArguments),
        ["bench", .. var benchArguments] => await BenchVerb.RunAsync(new Options(benchArguments, ["--items"])),
        ["seed", .. var options] => await SeedVerb(new Options(options, ["--users", "--sales", "--seed", "--date", "--existing", "--confirm"], ["--keep-dynamodb"])),
        [] or ["help" or "--help" or "-h"] => Print(Usage, 0),
        _ => Print($"Unknown command: {string.Join(' ', args)}\n\n{Usage}", 2),
    };
}
catch (Exception e) when (e is DynamoDbLocalException or DynamoDbUnreachableException or ArgumentException or FormatException
                          or InvalidOperationException or TimeoutException or IOException or AmazonServiceException or AmazonClientException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static int Print(string text, int exitCode)
{
    (exitCode == 0 ? Console.Out : Console.Error).WriteLine(text);
    return exitCode;
}

static async Task<int> DynamoDbVerb(string action)
{
    var port = ConnectionSettings.FromEnvironment().LocalPort;
    switch (action)
    {
        case "start":
            var instance = await DynamoDbLocal.EnsureRunningAsync(port);
            Console.WriteLine($"DynamoDB Local is running at {instance.Endpoint}" +
                              (instance.DataDirectory is null ? "." : $", data in {instance.DataDirectory}."));
            return 0;
        case "stop":
            Console.WriteLine(await DynamoDbLocal.StopAsync(port));
            return 0;
        case "status":
            Console.WriteLine(await DynamoDbLocal.StatusAsync(port));
            return 0;
        default:
            return Print($"Unknown dynamodb action \"{action}\": use start, stop or status.", 2);
    }
}

static async Task<int> SeedVerb(Options options)
{
    var defaults = new FakeDataOptions();
    var fakeDataOptions = defaults with
    {
        Members = options.Int("--users", defaults.Members),
        Sales = options.Int("--sales", defaults.Sales),
        Seed = options.Int("--seed", defaults.Seed),
        ReferenceDate = options.Date("--date", defaults.Today),
    };
    var existing = options.Choice("--existing", ExistingItems.Refuse);
    return await WithDynamoDb.RunAsync(options.Flag("--keep-dynamodb"), async settings =>
    {
        var store = await Connection.OpenStoreAsync(settings);
        var created = await store.CreateTableAsync();
        Console.WriteLine(created ? $"Created table \"{store.TableName}\" with its 4 global and 1 local secondary indexes."
                                  : $"Table \"{store.TableName}\" already exists with the expected shape.");

        var total = fakeDataOptions.Members + fakeDataOptions.Sales;
        var clock = Stopwatch.StartNew();
        var written = await store.SeedAsync(fakeDataOptions, existing, new ConsoleProgress(total), options.Text("--confirm"));
        Console.WriteLine($"Wrote {fakeDataOptions.Members} members and {fakeDataOptions.Sales} sales ({written} items) in {clock.Elapsed.TotalSeconds:0.0} s " +
                          $"(seed {fakeDataOptions.Seed}, sales in the 30 days before {fakeDataOptions.Today:yyyy-MM-dd}).");
        return 0;
    });
}
