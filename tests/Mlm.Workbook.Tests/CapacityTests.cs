using Amazon.DynamoDBv2.Model;
using Mlm.Workbook.Capacity;
using Mlm.Workbook.Presentation;

namespace Mlm.Workbook.Tests;

/// <summary>Costs follow AWS's documented rules, whatever DynamoDB Local reports.</summary>
public class CapacityTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void An_empty_query_is_never_free()
    {
        Assert.Equal(0.5, CapacityRules.ReadUnits([]));
        Assert.Equal(1, CapacityRules.ReadUnits([], ReadConsistency.Strong));
        Assert.Equal(2, CapacityRules.ReadUnits([], ReadConsistency.Transactional));
        Assert.Equal(0.5, CapacityRules.GetItemUnits(null));
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(4096, 0.5)]
    [InlineData(4097, 1)]
    [InlineData(10_000, 1.5)]
    public void Reads_round_the_request_up_to_4_KB(long bytes, double units) => Assert.Equal(units, CapacityRules.ReadUnits(bytes));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1024, 1)]
    [InlineData(1025, 2)]
    public void Writes_round_each_item_up_to_1_KB_and_cost_twice_in_a_transaction(long bytes, double units)
    {
        Assert.Equal(units, CapacityRules.WriteUnits(bytes));
        Assert.Equal(2 * units, CapacityRules.WriteUnits(bytes, transactional: true));
    }

    [Fact]
    public void Item_sizes_count_names_and_values()
    {
        Assert.Equal(2 + 8, ItemSize.Of("pk", new AttributeValue { S = "USER#004" }));
        Assert.Equal(3, ItemSize.NumberSize("12.34"));
        Assert.Equal(2, ItemSize.NumberSize("500"));
        Assert.Equal(2, ItemSize.NumberSize("0.005"));
        Assert.Equal(1, ItemSize.ValueSize(new AttributeValue { BOOL = true }));
        Assert.Equal(3 + (1 + 1) + (2 + 1), ItemSize.ValueSize(new AttributeValue { L = [new AttributeValue { S = "a" }, new AttributeValue { N = "10" }] }));
        Assert.Equal(3 + 1 + 2 + 1, ItemSize.ValueSize(new AttributeValue { M = new() { ["a"] = new AttributeValue { S = "é" } } }));
    }

    [Fact]
    public void A_member_write_is_four_writes_the_root_three_and_a_sale_three()
    {
        var indexes = IndexShape.OfWorkbookTable();
        var data = FakeData.Generate();
        var member = CapacityRules.PutCost(indexes, data.Members[1].ToItem());
        Assert.Equal(new[] { "table", "recruited_by-index", "email-index", "phone-index" }.Order(), member.Lines.Select(l => l.Target).Order());
        Assert.Equal(4, member.Writes);
        Assert.Equal(3, CapacityRules.PutCost(indexes, data.Members[0].ToItem()).Writes); // the root has no recruited_by
        var sale = CapacityRules.PutCost(indexes, data.Sales[0].ToItem());
        Assert.Equal(["table", "sale_date-sale_reference-index", "sale_reference-index"], sale.Lines.Select(l => l.Target));
    }

    [Fact]
    public void Changing_an_index_key_is_a_delete_and_a_put_there_and_projections_shrink_entries()
    {
        var indexes = IndexShape.OfWorkbookTable();
        var before = FakeData.Generate().Members[1].ToItem();
        var after = new Dictionary<string, AttributeValue>(before) { ["email"] = new AttributeValue { S = "new@example.com" } };
        var change = CapacityRules.PutCost(indexes, after, before);
        var email = change.Lines.Single(l => l.Target == "email-index");
        Assert.Equal(CapacityRules.DeleteAndPut, email.Action);
        Assert.Equal(2, email.Units);
        // With ALL, every index holds the whole item, so every index the member is in is rewritten:
        // the table, a delete + put on email-index, an update on phone-index and on recruited_by-index.
        Assert.Equal(5, change.Writes);

        var keysOnly = indexes.Select(i => i.WithProjection("KEYS_ONLY")).ToList();
        var lean = CapacityRules.PutCost(keysOnly, after, before);
        Assert.Equal(3, lean.Writes); // the table, and a delete + put on email-index; the other entries hold only keys, unchanged
        Assert.True(keysOnly[0].EntrySize(after) < indexes[0].EntrySize(after));
    }

    [Fact]
    public async Task Shown_read_costs_follow_AWS_rules_where_DynamoDB_Local_reports_zero()
    {
        var (store, data) = await dynamo.SeededTableAsync("capacity");
        var empty = await store.GetDownlineAsync(data.Members[^1].Id, Cancel);
        Assert.Equal(0, empty.Count);
        Assert.Equal(0.5, empty.AwsReadUnits);
        Assert.Equal(0, empty.CapacityUnits); // what DynamoDB Local reports, and the workbook shows beside AWS's figure
        var missing = await store.GetMemberAsync("999", Cancel);
        Assert.Equal(0.5, missing.AwsReadUnits);
        var scan = await store.ScanAsync(Cancel);
        Assert.Equal(Math.Ceiling(scan.Items.Sum(i => ItemSize.Of(i)) / 4096.0) * 0.5, scan.AwsReadUnits);
        var downline = await store.GetWholeDownlineAsync("001", DownlineStrategy.QueryLevels, cancellationToken: Cancel);
        Assert.True(downline.AwsReadUnits >= 0.5 * downline.Requests);
        Assert.True(downline.CapacityUnits < downline.AwsReadUnits); // the leaves' empty queries, free on DynamoDB Local only
    }

    [Fact]
    public async Task The_cost_frame_says_why_DynamoDB_Local_differs_and_names_PartiQL_filters()
    {
        var (store, data) = await dynamo.SeededTableAsync("capacity-frames");
        string Why(ReadResult read) => read.Cost()["why they differ"][0]!.ToString()!;

        var empty = await store.GetDownlineAsync(data.Members[^1].Id, Cancel);
        Assert.Contains("finds nothing", Why(empty));
        var filtered = await store.ExecutePartiQlAsync($"SELECT * FROM \"{store.TableName}\" WHERE item = ?", [data.Sales[0].Item], Cancel);
        Assert.Equal(0, filtered.CapacityUnits);
        Assert.Contains("PartiQL", Why(filtered));
        Assert.Contains("whole table", Why(filtered));
    }

    [Fact]
    public async Task DynamoDB_Local_reports_a_write_per_index_the_item_is_in()
    {
        var store = await dynamo.NewTableAsync("index-writes");
        var data = FakeData.Generate();
        var member = await WriteProbe.PutAsync(store.Client, store.TableName, data.Members[1].ToItem(), Cancel);
        Assert.Equal(member.Aws.Lines.Select(l => l.Target).Order(), member.Reported.Keys.Order());
        var sale = await WriteProbe.PutAsync(store.Client, store.TableName, data.Sales[0].ToItem(), Cancel);
        Assert.Equal(sale.Aws.Lines.Select(l => l.Target).Order(), sale.Reported.Keys.Order());
    }
}
