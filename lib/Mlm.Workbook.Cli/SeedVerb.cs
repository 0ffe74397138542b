using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Mlm.Workbook;

namespace Mlm.Workbook.Cli;

/// <summary>The <c>seed</c> verb: create the table if missing and load fake members and sales.</summary>
internal static class SeedVerb
{
    public static Command Command()
    {
        var defaults = new FakeDataOptions();
        var users = CliOptions.Number("--users", "Members to generate", defaults.Members, 0, FakeData.MaxMembers);
        var sales = CliOptions.Number("--sales", "Sales to generate", defaults.Sales, 0, FakeData.MaxSales);
        var seed = CliOptions.Number("--seed", "Random seed; the same options always give the same data", defaults.Seed, 0, int.MaxValue);
        var date = CliOptions.Date("--date", "\"Today\" for the data: sales fall in the 30 days before it", defaults.Today);
        var existing = CliOptions.Choice("--existing",
            "What to do with items already in the table: refuse anything that is not this data set, reset to an empty table, or keep them and add the missing items",
            ExistingItems.Refuse);
        var confirm = new Option<string>("--confirm") { Description = "The table's name again; needed on AWS (MLM_DYNAMODB=aws) with --existing reset", HelpName = "TABLE" };
        var keep = CliOptions.KeepDynamoDb();
        var command = new Command("seed", "Create the table if it is missing and load fake members and sales (defaults: the exercise's 80 members and 20 sales, seed 42, date 2025-02-20).")
        {
            users, sales, seed, date, existing, confirm, keep,
        };
        command.SetAction((result, _) => RunAsync(
            defaults with { Members = result.GetValue(users), Sales = result.GetValue(sales), Seed = result.GetValue(seed), ReferenceDate = result.GetValue(date) ?? defaults.Today },
            result.GetValue(existing) ?? ExistingItems.Refuse, result.GetValue(confirm), result.GetValue(keep)));
        return command;
    }

    private static async Task<int> RunAsync(FakeDataOptions options, ExistingItems existing, string? confirm, bool keep)
    {
        FakeData.Check(options); // before anything is started or created
        return await WithDynamoDb.RunAsync(keep, async (settings, cancellationToken) =>
        {
            var store = await Connection.OpenStoreAsync(settings, cancellationToken);
            var created = await store.CreateTableAsync(cancellationToken);
            Console.WriteLine(created ? $"Created table \"{store.TableName}\" with its 4 global and 1 local secondary indexes."
                                      : $"Table \"{store.TableName}\" already exists with the expected shape.");

            var total = options.Members + options.Sales;
            var clock = Stopwatch.StartNew();
            int written;
            try
            {
                written = await store.SeedAsync(options, existing, new ConsoleProgress(total), confirm, cancellationToken: cancellationToken);
            }
            catch (ConfirmationRequiredException e)
            {
                throw new InvalidOperationException(
                    $"\"{e.TableName}\" is a table on AWS; to {e.Action} it, pass its name as confirmation: --confirm {e.TableName}", e);
            }
            var dataSet = $"(seed {options.Seed}, sales in the 30 days before {options.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})";
            Console.WriteLine(written == 0 && total > 0
                ? $"Nothing was missing: table \"{store.TableName}\" already holds all {options.Members} members and {options.Sales} sales {dataSet}; nothing was written."
                : $"Wrote {options.Members} members and {options.Sales} sales ({written} items) in {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s {dataSet}.");
            return 0;
        });
    }
}
