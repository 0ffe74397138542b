using System.CommandLine;
using Amazon.DynamoDBv2;
using Mlm.Workbook;
using Mlm.Workbook.Presentation;

namespace Mlm.Workbook.Cli;

/// <summary>The <c>query</c> verb: a question in PartiQL, without writing C#; a table on the terminal and, if asked, a CSV file.</summary>
internal static class QueryVerb
{
    public static Command Command()
    {
        var statement = new Argument<string>("STATEMENT")
        {
            Description = "A PartiQL SELECT, in quotes: \"SELECT * FROM mlm WHERE pk = 'USER#004'\" (an index: FROM \"mlm\".\"email-index\")",
        };
        statement.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>()?.TrimStart() ?? "";
            if (!text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || (text.Length > 6 && !char.IsWhiteSpace(text[6])))
                result.AddError($"query runs SELECT statements only (it never changes the table); got \"{(text.Length <= 40 ? text : text[..40] + "…")}\".");
        });
        var csv = new Option<string>("--csv") { Description = "Also write the items to this CSV file (created or replaced)", HelpName = "FILE" };
        csv.Validators.Add(result =>
        {
            var file = result.GetValueOrDefault<string>();
            if (Directory.Exists(file)) result.AddError($"--csv {file} names a folder; give a file name.");
        });
        var keep = CliOptions.KeepDynamoDb();
        var command = new Command("query",
            "Run a PartiQL SELECT against the table (every page, following NextToken), print the items as a table and optionally write them as CSV. " +
            "A statement without an equality on the partition key reads the whole table (a scan).")
        {
            statement, csv, keep,
        };
        command.SetAction((result, _) => RunAsync(result.GetValue(statement)!, result.GetValue(csv), result.GetValue(keep)));
        return command;
    }

    private static async Task<int> RunAsync(string statement, string? csv, bool keep) =>
        await WithDynamoDb.RunAsync(keep, async (settings, cancellationToken) =>
        {
            var store = await Connection.OpenStoreAsync(settings, cancellationToken);
            ReadResult result;
            try
            {
                result = await store.ExecutePartiQlAsync(statement, [], cancellationToken);
            }
            catch (TableNotFoundException)
            {
                var tables = (await store.Client.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest(), cancellationToken)).TableNames ?? [];
                Console.Error.WriteLine($"error: the statement reads a table that does not exist at {store.Client.Config.ServiceURL ?? "this endpoint"}; " +
                                        (tables.Count == 0 ? "there are no tables there (seed one with `seed`)." : $"its tables are {string.Join(", ", tables)}."));
                return 1;
            }
            catch (AmazonDynamoDBException e) when (e.ErrorCode == "ValidationException")
            {
                Console.Error.WriteLine($"error: DynamoDB refused the statement: {e.Message}");
                Console.Error.WriteLine("A PartiQL SELECT names a table (or \"table\".\"index\") and compares attributes with single-quoted strings: " +
                                        $"SELECT * FROM \"{store.TableName}\" WHERE pk = 'USER#004'.");
                return 1;
            }
            Console.Write(result.Count == 0 ? "" : ItemText.Table(result.Items));
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{result.Count} item{(result.Count == 1 ? "" : "s")} in {result.Pages} page{(result.Pages == 1 ? "" : "s")}, {result.AwsReadUnits:0.#} read units by AWS's rules."));
            if (csv is not null)
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(csv));
                if (folder is not null) Directory.CreateDirectory(folder);
                AtomicFile.WriteAllText(csv, ItemText.Csv(result.Items));
                Console.WriteLine($"Wrote {result.Count} items to {csv}.");
            }
            return 0;
        });
}
