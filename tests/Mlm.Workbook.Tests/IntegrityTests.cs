using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook.Tests;

public class IntegrityTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Member Newcomer(string id = "081", string? recruiter = "001", string email = "ada.newcomer@example.com", string phone = "555-0181") =>
        new(id, recruiter, "Ada Newcomer", email, phone, "1 Main Street\nSpringfield", "2025-02-20T09:00:00.000000");

    private static async Task<List<Dictionary<string, AttributeValue>>> AllItemsAsync(MlmStore store) =>
        (await store.ScanAsync(Cancel)).Items.OrderBy(i => i["pk"].S + "|" + i["sk"].S, StringComparer.Ordinal).ToList();

    private static string Describe(IEnumerable<Dictionary<string, AttributeValue>> items) =>
        string.Join("\n", items.Select(i => string.Join(";", i.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value.S ?? a.Value.N}"))));

    [Fact]
    public async Task Seeding_again_with_the_same_parameters_leaves_exactly_the_same_items()
    {
        var (store, data) = await dynamo.SeededTableAsync("reseed");
        var first = Describe(await AllItemsAsync(store));
        Assert.Equal(0, await store.SeedAsync(FakeData.Generate(), cancellationToken: Cancel)); // nothing rewritten
        Assert.Equal(first, Describe(await AllItemsAsync(store)));
        Assert.Equal(data.Members.Count + data.Sales.Count, (await store.KeysAsync(Cancel)).Count);
    }

    [Fact]
    public async Task Seeding_a_data_set_of_other_options_is_refused_naming_the_difference_and_writes_nothing()
    {
        var (store, data) = await dynamo.SeededTableAsync("other-options");
        var before = Describe(await AllItemsAsync(store));
        var defaults = new FakeDataOptions();

        // Another date: same keys, other values.
        var otherDate = await Assert.ThrowsAsync<SeedRefusedException>(() =>
            store.SeedAsync(defaults with { ReferenceDate = defaults.Today.AddMonths(4) }, cancellationToken: Cancel));
        Assert.Contains("seeded with other options", otherDate.Message);
        Assert.Contains($"date {defaults.Today.AddMonths(4):yyyy-MM-dd}", otherDate.Message);
        // Another seed and size, without sales.
        var otherSeed = await Assert.ThrowsAsync<SeedRefusedException>(() =>
            store.SeedAsync(defaults with { Members = data.Members.Count * 2 + 40, Sales = 0, Seed = 7 }, cancellationToken: Cancel));
        Assert.Contains("differs (", otherSeed.Message);
        // The same seed and date, but more members: the table holds a complete smaller data set.
        var larger = await Assert.ThrowsAsync<SeedRefusedException>(() =>
            store.SeedAsync(defaults with { Members = data.Members.Count + 1 }, cancellationToken: Cancel));
        Assert.Contains($"holds a smaller data set, {data.Members.Count} members and {data.Sales.Count} sales", larger.Message);

        Assert.Equal(before, Describe(await AllItemsAsync(store)));
    }

    [Fact]
    public async Task Items_that_are_not_part_of_the_data_set_are_refused_or_kept_by_explicit_choice()
    {
        var store = await dynamo.NewTableAsync("foreign-items");
        var foreign = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "NOTE#1" }, ["sk"] = new() { S = "TEXT" }, ["text"] = new() { S = "keep me" } };
        await store.WriteAsync([foreign], cancellationToken: Cancel);
        var data = FakeData.Generate();

        var refused = await Assert.ThrowsAsync<SeedRefusedException>(() => store.SeedAsync(data, cancellationToken: Cancel));
        Assert.Contains("1 items that are not part of this data set", refused.Message);
        Assert.Contains("NOTE#1|TEXT", refused.Message);
        Assert.Contains("ExistingItems.Reset", refused.Message);
        Assert.Single(await store.KeysAsync(Cancel));

        var written = await store.SeedAsync(data, ExistingItems.Keep, cancellationToken: Cancel);
        Assert.Equal(data.Members.Count + data.Sales.Count, written);
        var expected = data.Items().Select(Keys.KeyText).Append("NOTE#1|TEXT").Order(StringComparer.Ordinal);
        Assert.Equal(expected, (await store.KeysAsync(Cancel)).Order(StringComparer.Ordinal));

        await store.SeedAsync(data, ExistingItems.Reset, cancellationToken: Cancel);
        Assert.Equal(data.Items().Select(Keys.KeyText).Order(StringComparer.Ordinal), (await store.KeysAsync(Cancel)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Keep_never_overwrites_an_item_nor_repeats_a_sale_id()
    {
        var (store, data) = await dynamo.SeededTableAsync("keep");
        var before = Describe(await AllItemsAsync(store));
        var defaults = new FakeDataOptions();

        var otherSeed = await Assert.ThrowsAsync<SeedRefusedException>(() => store.SeedAsync(defaults with { Seed = 7 }, ExistingItems.Keep, cancellationToken: Cancel));
        Assert.Contains("ExistingItems.Keep (--existing keep) would", otherSeed.Message);
        Assert.Contains("nothing was written", otherSeed.Message);
        // The same members, the sales spread over other sellers: their ids would repeat under other members.
        var otherSellers = await Assert.ThrowsAsync<SeedRefusedException>(() =>
            store.SeedAsync(defaults with { Sellers = defaults.Sellers * 10 }, ExistingItems.Keep, cancellationToken: Cancel));
        Assert.Contains("ExistingItems.Keep", otherSellers.Message);
        Assert.Equal(before, Describe(await AllItemsAsync(store)));

        // A larger data set of the same options adds only what is missing.
        var written = await store.SeedAsync(defaults with { Members = data.Members.Count + 5 }, ExistingItems.Keep, cancellationToken: Cancel);
        Assert.Equal(5, written);
    }

    [Fact]
    public async Task Two_seeds_of_different_data_at_once_cannot_both_succeed()
    {
        var store = await dynamo.NewTableAsync("concurrent");
        var first = new FakeDataOptions(Members: 2_000, Sales: 500, Seed: 1);
        var second = first with { Seed = 2 };
        var other = new MlmStore(dynamo.Client(), store.TableName);

        var results = await Task.WhenAll(
            Outcome(() => store.SeedAsync(first, cancellationToken: Cancel)),
            Outcome(() => other.SeedAsync(second, cancellationToken: Cancel)));

        Assert.Single(results, r => r is null);
        var refusal = Assert.Single(results, r => r is not null)!;
        Assert.IsType<SeedRefusedException>(refusal);
        var winner = results[0] is null ? first : second;
        Assert.Equal(FakeData.Items(winner).Select(Keys.KeyText).Order(StringComparer.Ordinal), (await store.KeysAsync(Cancel)).Order(StringComparer.Ordinal));
        Assert.Equal(0, await store.SeedAsync(winner, cancellationToken: Cancel)); // the guard was released: accepted, and nothing to rewrite
    }

    private static async Task<Exception?> Outcome(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public async Task A_seed_cut_off_half_way_is_completed_by_the_same_seed_and_guards_against_another()
    {
        var store = await dynamo.NewTableAsync("cut-off");
        var options = new FakeDataOptions(Members: 500, Sales: 100);
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var progress = new Presentation.ProgressCallback<int>(written => { if (written >= 100) cut.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SeedAsync(options, progress: progress, cancellationToken: cut.Token));

        var refused = await Assert.ThrowsAsync<SeedRefusedException>(() => store.SeedAsync(options with { Seed = 9 }, cancellationToken: Cancel));
        Assert.Contains("under way or was cut off: seed 42", refused.Message);

        // A batch sent just before the cut can still land after it: count once the table has stopped changing.
        int before, settled = -1;
        while ((before = (await store.KeysAsync(Cancel)).Count(k => !k.StartsWith(Keys.SeedGuard, StringComparison.Ordinal))) != settled)
        {
            settled = before;
            await Task.Delay(500, Cancel);
        }
        var written = await store.SeedAsync(options, cancellationToken: Cancel);
        Assert.Equal(FakeData.Items(options).Select(Keys.KeyText).Order(StringComparer.Ordinal), (await store.KeysAsync(Cancel)).Order(StringComparer.Ordinal));
        Assert.Equal(options.Members + options.Sales - before, written); // the items already there were compared, not rewritten
    }

    [Fact]
    public async Task Deleting_or_resetting_a_table_that_needs_confirmation_requires_its_name()
    {
        var created = await dynamo.NewTableAsync("confirm");
        var guarded = new MlmStore(dynamo.Client(), created.TableName, confirmDeletes: true);

        var refused = await Assert.ThrowsAsync<ConfirmationRequiredException>(() => guarded.DeleteTableAsync(cancellationToken: Cancel));
        Assert.Contains($"confirmTableName: \"{created.TableName}\"", refused.Message);
        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => guarded.SeedAsync(FakeData.Generate(), ExistingItems.Reset, confirmTableName: "mlm", cancellationToken: Cancel));
        Assert.True(await TableDefinition.ExistsAsync(created.Client, created.TableName, Cancel));

        Assert.True(await guarded.DeleteTableAsync(created.TableName, Cancel));
    }

    [Fact]
    public async Task Registering_writes_the_profile_and_two_markers_in_one_transaction()
    {
        var (store, _) = await dynamo.SeededTableAsync("register");
        await store.RegisterMemberAsync(Newcomer(), Cancel);

        var items = await AllItemsAsync(store);
        Assert.Equal(103, items.Count);
        Assert.Contains(items, i => i["pk"].S == "EMAIL#ada.newcomer@example.com" && i["sk"].S == "UNIQUE" && i["member_key"].S == "USER#081");
        Assert.Contains(items, i => i["pk"].S == "PHONE#555-0181" && i["member_key"].S == "USER#081");
        Assert.Equal("081", Assert.Single((await store.FindMemberByEmailAsync("ada.newcomer@example.com", Cancel)).Members()).Id);
        Assert.Contains("081", (await store.GetDownlineAsync("001", Cancel)).Members().Select(m => m.Id));
    }

    [Theory]
    [InlineData("082", "ADA.Newcomer@example.com", "555-0182", "email")]
    [InlineData("082", "someone.else@example.com", "555-0181", "phone")]
    [InlineData("081", "someone.else@example.com", "555-0182", "id")]
    public async Task A_duplicate_is_refused_naming_the_field_and_nothing_is_written(string id, string email, string phone, string field)
    {
        var (store, _) = await dynamo.SeededTableAsync("duplicate");
        await store.RegisterMemberAsync(Newcomer(), Cancel);
        var before = Describe(await AllItemsAsync(store));

        var refused = await Assert.ThrowsAsync<DuplicateValueException>(() => store.RegisterMemberAsync(Newcomer(id, "002", email, phone), Cancel));

        Assert.Equal(field, refused.Field);
        Assert.Contains($"The {field} ", refused.Message);
        Assert.Equal(before, Describe(await AllItemsAsync(store)));
    }

    [Fact]
    public async Task A_seeded_members_email_or_phone_is_taken_too()
    {
        var (store, data) = await dynamo.SeededTableAsync("seeded-taken");
        var seeded = data.Members[10];
        Assert.Equal("email", (await Assert.ThrowsAsync<DuplicateValueException>(() => store.RegisterMemberAsync(Newcomer(email: seeded.Email), Cancel))).Field);
        Assert.Equal("phone", (await Assert.ThrowsAsync<DuplicateValueException>(() => store.RegisterMemberAsync(Newcomer(phone: seeded.Phone), Cancel))).Field);
        Assert.Equal(100, (await store.KeysAsync(Cancel)).Count);

        await store.RegisterMemberAsync(Newcomer(), Cancel);
        var taken = await Assert.ThrowsAsync<DuplicateValueException>(() => store.ChangeContactAsync("081", newEmail: seeded.Email, cancellationToken: Cancel));
        Assert.Equal("email", taken.Field);
        Assert.Equal("ada.newcomer@example.com", Assert.Single((await store.GetMemberAsync("081", Cancel)).Members()).Email);
    }

    [Fact]
    public async Task The_tree_stays_a_tree()
    {
        var (store, _) = await dynamo.SeededTableAsync("tree");
        var before = Describe(await AllItemsAsync(store));

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => store.RegisterMemberAsync(Newcomer(recruiter: "500"), Cancel));
        Assert.Contains("recruiter USER#500 does not exist", missing.Message);
        var self = await Assert.ThrowsAsync<ArgumentException>(() => store.RegisterMemberAsync(Newcomer(recruiter: "081"), Cancel));
        Assert.Contains("cannot recruit itself", self.Message);
        var orphan = await Assert.ThrowsAsync<ArgumentException>(() => store.RegisterMemberAsync(Newcomer(recruiter: null), Cancel));
        Assert.Contains("Only the root", orphan.Message);
        Assert.Equal(before, Describe(await AllItemsAsync(store)));

        var withRecruits = await Assert.ThrowsAsync<InvalidOperationException>(() => store.RemoveMemberAsync("001", Cancel));
        Assert.Contains("has recruits", withRecruits.Message);
    }

    [Fact]
    public async Task Changing_an_email_or_phone_moves_its_marker_atomically()
    {
        var (store, data) = await dynamo.SeededTableAsync("change");
        await store.RegisterMemberAsync(Newcomer(), Cancel);
        await store.RegisterMemberAsync(Newcomer("082", "081", "bo@example.com", "555-0182"), Cancel);

        await store.ChangeContactAsync("081", newEmail: "ada@example.org", cancellationToken: Cancel);
        var keys = await store.KeysAsync(Cancel);
        Assert.Contains("EMAIL#ada@example.org|UNIQUE", keys);
        Assert.DoesNotContain("EMAIL#ada.newcomer@example.com|UNIQUE", keys);
        Assert.Equal("ada@example.org", Assert.Single((await store.GetMemberAsync("081", Cancel)).Members()).Email);

        // The old email is free again; a taken one is refused and nothing changes.
        await store.RegisterMemberAsync(Newcomer("083", "001", "ada.newcomer@example.com", "555-0183"), Cancel);
        var before = Describe(await AllItemsAsync(store));
        var refused = await Assert.ThrowsAsync<DuplicateValueException>(() => store.ChangeContactAsync("081", newPhone: "555-0182", cancellationToken: Cancel));
        Assert.Equal("phone", refused.Field);
        Assert.Equal(before, Describe(await AllItemsAsync(store)));

        await store.RemoveMemberAsync("083", Cancel);
        await store.RemoveMemberAsync("082", Cancel);
        await store.RemoveMemberAsync("081", Cancel);
        Assert.Equal(data.Members.Count + data.Sales.Count, (await store.KeysAsync(Cancel)).Count);
    }
}
