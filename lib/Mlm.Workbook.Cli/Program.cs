using System.CommandLine;
using Amazon.Runtime;
using Mlm.Workbook;
using Mlm.Workbook.Cli;

// Messages and tables read the same in every locale (10,000,000, not 10.000.000), as the README quotes them.
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
// Windows consoles print ✔ ✘ ○ as ? unless told to write UTF-8.
if (HostPlatform.Current.ConsoleOutputEncoding is { } consoleEncoding) Console.OutputEncoding = consoleEncoding;

// One file per verb; System.CommandLine parses every verb alike and answers --help for each.
var root = new RootCommand(
    "The MLM key-design workbook: run its notebooks, seed its table, query it, measure it, and manage the DynamoDB Local and the Jupyter kernel it uses.\n\n" +
    "run, seed and bench stop the DynamoDB Local they start at the end, on Ctrl-C and on SIGTERM (exit code 130), unless --keep-dynamodb.\n" +
    "Environment: AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL (any DynamoDB endpoint), MLM_DYNAMODB=aws (real AWS),\n" +
    "MLM_TABLE (table name, default mlm), MLM_DYNAMODB_PORT (the embedded DynamoDB Local's port, default 8000).")
{
    RunVerb.Command(),
    SeedVerb.Command(),
    BenchVerb.Command(),
    KernelCommand.Command(),
    DynamoDbVerb.Command(),
    AssignVerb.Command(),
    GradeVerb.Command(),
    QueryVerb.Command(),
    GradeOneVerb.Command(),
};

try
{
    var parsed = root.Parse(args);
    var exitCode = await parsed.InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        ProcessTerminationTimeout = null, // signals are handled where DynamoDB Local may need stopping; see Interruption
    });
    return parsed.Errors.Count > 0 ? 2 : exitCode;
}
catch (Exception e) when (e is DynamoDbLocalException or DynamoDbUnreachableException or DynamoDbThrottledException or ArgumentException or FormatException
                          or InvalidOperationException or TimeoutException or IOException or AmazonServiceException or AmazonClientException)
{
    // An ArgumentException's message ends with the parameter's name (and the value), which means nothing on a command line.
    var message = e is ArgumentException && e.Message.IndexOf(" (Parameter '", StringComparison.Ordinal) is var end and > 0 ? e.Message[..end] : e.Message;
    Console.Error.WriteLine($"error: {message}");
    return 1;
}
