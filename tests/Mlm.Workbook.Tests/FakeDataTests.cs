namespace Mlm.Workbook.Tests;

public class FakeDataTests
{
    [Fact]
    public void Default_data_has_the_exercise_counts_and_shapes()
    {
        var options = new FakeDataOptions();
        var data = FakeData.Generate(options);

        Assert.Equal((80, 20), (options.Members, options.Sales)); // the exercise's counts
        Assert.Equal(options.Members, data.Members.Count);
        Assert.Equal(options.Sales, data.Sales.Count);
        Assert.Equal(Enumerable.Range(1, options.Members).Select(n => Keys.Id(n)), data.Members.Select(m => m.Id));
        Assert.All(data.Members, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Name));
            Assert.Contains("@", m.Email);
            Assert.False(string.IsNullOrWhiteSpace(m.Phone));
            Assert.False(string.IsNullOrWhiteSpace(m.Address));
            Assert.True(DateTime.TryParse(m.CreatedAt, out _), m.CreatedAt);
        });
        Assert.All(data.Sales, s =>
        {
            Assert.InRange(int.Parse(s.MemberId), 1, options.Sellers);
            Assert.InRange(options.Today.DayNumber - s.Date.DayNumber, 1, 30);
            Assert.InRange(s.Amount, 10m, 500m);
            Assert.Equal(s.Amount, decimal.Round(s.Amount, 2));
            Assert.Matches("^[A-Z][A-Za-z]*( [A-Z][A-Za-z]*)+$", s.Item); // a product name: "Sleek Cotton Chair"
            Assert.EndsWith("Z", s.CreatedAt);
        });
        Assert.Equal(Enumerable.Range(1, options.Sales), data.Sales.Select(s => s.Id));
    }

    [Fact]
    public void The_downline_is_a_tree_rooted_at_member_001()
    {
        var options = new FakeDataOptions();
        var data = FakeData.Generate(options);
        Assert.Null(data.Members[0].RecruitedBy);
        Assert.All(data.Members.Skip(1), m =>
        {
            Assert.NotNull(m.RecruitedBy);
            // Recruited by an earlier member: every chain of recruiters ends at the root, with no cycles.
            Assert.True(int.Parse(m.RecruitedBy!) < int.Parse(m.Id), $"{m.Id} recruited by {m.RecruitedBy}");
            Assert.InRange(int.Parse(m.RecruitedBy!), 1, options.Recruiters);
        });
    }

    [Fact]
    public void The_same_seed_and_date_give_the_same_data_and_another_seed_does_not()
    {
        var first = FakeData.Generate(new FakeDataOptions(Seed: 7, ReferenceDate: new DateOnly(2025, 3, 1)));
        var again = FakeData.Generate(new FakeDataOptions(Seed: 7, ReferenceDate: new DateOnly(2025, 3, 1)));
        var other = FakeData.Generate(new FakeDataOptions(Seed: 8, ReferenceDate: new DateOnly(2025, 3, 1)));

        Assert.Equal(first.Members, again.Members);
        Assert.Equal(first.Sales, again.Sales);
        Assert.NotEqual(first.Members.Select(m => m.Email), other.Members.Select(m => m.Email));
    }

    [Fact]
    public void Streamed_items_are_the_generated_data_set_item_for_item()
    {
        var options = new FakeDataOptions(Members: 3_000, Sales: 700, Seed: 9, Recruiters: int.MaxValue);
        string Text(Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> item) =>
            string.Join(";", item.OrderBy(a => a.Key).Select(a => $"{a.Key}={a.Value.S ?? a.Value.N}"));
        Assert.Equal(FakeData.Generate(options).Items(dateShards: 3).Select(Text), FakeData.Items(options, dateShards: 3).Select(Text));
    }

    [Fact]
    public void Emails_and_phones_stay_unique_at_scale()
    {
        var data = FakeData.Generate(new FakeDataOptions(Members: 20_000, Sales: 0));
        Assert.Equal(data.Members.Count, data.Members.Select(m => m.Email.ToLowerInvariant()).Distinct().Count());
        Assert.Equal(data.Members.Count, data.Members.Select(m => m.Phone).Distinct().Count());
        // Every generated value is one the registration checks accept.
        Assert.All(data.Members, m => Assert.Equal(m.Email, Inputs.Email(m.Email)));
        Assert.All(data.Members, m => Assert.Equal(m.Phone, Inputs.Phone(m.Phone)));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    [InlineData(0, 5)]
    public void Impossible_counts_are_refused(int members, int sales) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FakeData.Generate(new FakeDataOptions(Members: members, Sales: sales)));

    [Fact]
    public void Entities_round_trip_through_items()
    {
        var data = FakeData.Generate();
        Assert.All(data.Members, m => Assert.Equal(m, Member.FromItem(m.ToItem())));
        Assert.All(data.Sales, s => Assert.Equal(s, Sale.FromItem(s.ToItem())));

        var root = data.Members[0].ToItem();
        Assert.False(root.ContainsKey("recruited_by")); // sparse: the root is not in recruited_by-index
        var sale = data.Sales[0].ToItem();
        Assert.Equal($"USER#{data.Sales[0].MemberId}#SALE#001", sale["sale_reference"].S);
        Assert.Equal(data.Sales[0].Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), sale["amount"].N);
    }

    [Theory]
    [InlineData(80, 20)]
    [InlineData(999, 999)]
    [InlineData(1_000, 1_000)]
    [InlineData(1_234, 2_000)]
    [InlineData(12_000, 10)]
    public void Generated_keys_sort_in_number_order(int members, int sales)
    {
        var data = FakeData.Generate(new FakeDataOptions(members, sales, Recruiters: int.MaxValue));
        var memberKeys = data.Members.Select(m => m.PartitionKey).ToList();
        Assert.Equal(memberKeys, memberKeys.Order(StringComparer.Ordinal));
        var saleKeys = data.Sales.Select(s => s.SortKey).ToList();
        Assert.Equal(saleKeys, saleKeys.Order(StringComparer.Ordinal));
        Assert.All(data.Members, m => Assert.Equal(Keys.IdDigitsFor(members), m.Id.Length));
        Assert.All(data.Sales, s => Assert.StartsWith(Keys.User(s.MemberId) + "#SALE#", s.SaleReference));
        Assert.All(data.Sales, s => Assert.Equal(s, Sale.FromItem(s.ToItem())));
        Assert.All(data.Members.Take(50), m => Assert.Equal(m, Member.FromItem(m.ToItem())));
    }
}
