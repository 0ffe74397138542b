using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Mlm.Workbook;

namespace Mlm.Workbook.Cli;

/// <summary>Which data set <c>seed</c> loads.</summary>
internal enum SeedProfile
{
    /// <summary>The exercise's: 80 members, 20 sales by members 001 to 005 in the last 30 days.</summary>
    Faithful,
    /// <summary>An analyst's: members joining over months at many levels, every member selling products of a catalogue; see <see cref="RealisticData"/>.</summary>
    Realistic,
}

/// <summary>The <c>seed</c> verb: create the table if missing and load fake members and sales.</summary>
internal static class SeedVerb
{
    public static Command Command()
    {
        var defaults = new FakeDataOptions();
        var users = CliOptions.Number("--users", "Members to generate", defaults.Members, 0, FakeData.MaxMembers);
        var sales = CliOptions.Number("--sales", "Sales to generate", defaults.Sales, 0, FakeData.MaxSales);
        var seed = CliOptions.Number("--seed", "Random seed; the same options always give the same data", defaults.Seed, 0, int.MaxValue);
        var date = CliOptions.Date("--date", "\"Today\" for the data: sales fall in the 30 days before it (realistic: in the whole months before its month)", defaults.Today);
        var existing = CliOptions.Choice("--existing",
            "What to do with items already in the table: refuse anything that is not this data set, reset to an empty table, or keep them and add the missing items",
            ExistingItems.Refuse);
        var confirm = new Option<string>("--confirm") { Description = "The table's name again; needed on AWS (MLM_DYNAMODB=aws) with --existing reset", HelpName = "TABLE" };
        var keep = CliOptions.KeepDynamoDb();
        var realistic = new RealisticDataOptions();
        var profile = CliOptions.Choice("--profile",
            $"Which data set: the exercise's (faithful), or an analyst's (realistic: {realistic.Members} members joining over {realistic.Months} months at many levels, " +
            "every member selling products of a catalogue; --users sets its members, --months its months, --sales does not apply)",
            SeedProfile.Faithful);
        var months = CliOptions.Number("--months", "Months of the realistic data set, ending with the month before --date", realistic.Months, 1, RealisticData.MaxMonths);
        var command = new Command("seed", "Create the table if it is missing and load fake members and sales (defaults: the exercise's 80 members and 20 sales, seed 42, date 2025-02-20).")
        {
            users, sales, seed, date, existing, confirm, profile, months, keep,
        };
        command.Validators.Add(result =>
        {
            var chosen = result.GetValue(profile) ?? SeedProfile.Faithful;
            if (chosen == SeedProfile.Realistic && result.GetResult(sales) is { Implicit: false })
                result.AddError("--sales does not apply to --profile realistic: its sales follow from its members and months.");
            if (chosen == SeedProfile.Faithful && result.GetResult(months) is { Implicit: false })
                result.AddError("--months applies to --profile realistic only.");
            if (chosen == SeedProfile.Realistic && result.GetValue(users) is var members && result.GetResult(users) is { Implicit: false } && members is < 1 or > RealisticData.MaxMembers)
                result.AddError($"--users must be from 1 to {RealisticData.MaxMembers:N0} with --profile realistic; got {members}.");
        });
        command.SetAction((result, _) => (result.GetValue(profile) ?? SeedProfile.Faithful) == SeedProfile.Realistic
            ? RunRealisticAsync(
                realistic with
                {
                    Members = result.GetResult(users) is { Implicit: false } ? result.GetValue(users) : realistic.Members,
                    Months = result.GetValue(months), Seed = result.GetValue(seed), ReferenceDate = result.GetValue(date) ?? realistic.Today,
                },
                result.GetValue(existing) ?? ExistingItems.Refuse, result.GetValue(confirm), result.GetValue(keep))
            : RunAsync(
                defaults with { Members = result.GetValue(users), Sales = result.GetValue(sales), Seed = result.GetValue(seed), ReferenceDate = result.GetValue(date) ?? defaults.Today },
                result.GetValue(existing) ?? ExistingItems.Refuse, result.GetValue(confirm), result.GetValue(keep)));
        return command;
    }

    private static async Task<int> RunRealisticAsync(RealisticDataOptions options, ExistingItems existing, string? confirm, bool keep)
    {
        var data = RealisticData.Generate(options); // checks the options before anything is started or created
        return await WithDynamoDb.RunAsync(keep, async (settings, cancellationToken) =>
        {
            var store = await Connection.OpenStoreAsync(settings, cancellationToken);
            var created = await store.CreateTableAsync(cancellationToken);
            Console.WriteLine(created ? $"Created table \"{store.TableName}\" with its 4 global and 1 local secondary indexes."
                                      : $"Table \"{store.TableName}\" already exists with the expected shape.");
            var clock = Stopwatch.StartNew();
            var written = await store.SeedAsync(options, existing, new ConsoleProgress(data.Members.Count + data.Sales.Count), confirm, cancellationToken);
            Console.WriteLine($"Wrote {data.Members.Count} members and {data.Sales.Count} sales ({written} items) in {clock.Elapsed.TotalSeconds:0.0} s " +
                              $"({RealisticData.Describe(options)}).");
            return 0;
        });
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
