namespace Mlm.Workbook.Tests;

public class KeysTests
{
    [Theory]
    [InlineData("4", "USER#004")]
    [InlineData("004", "USER#004")]
    [InlineData(" 17 ", "USER#017")]
    [InlineData("1234", "USER#1234")]
    [InlineData("0004", "USER#0004")]
    public void User_keys_are_zero_padded_to_three_digits(string id, string expected) =>
        Assert.Equal(expected, Keys.User(id));

    [Fact]
    public void Every_key_template_matches_the_exercise()
    {
        Assert.Equal("USER#001", Keys.User(1));
        Assert.Equal("PROFILE", Keys.Profile);
        Assert.Equal("SALE#001", Keys.Sale(1));
        Assert.Equal("DATE#20250219", Keys.Date(new DateOnly(2025, 2, 19)));
        Assert.Equal("USER#004#SALE#001", Keys.SaleReference("4", 1));
        Assert.Equal("USER#004#SALE#", Keys.SaleReferencePrefix("004"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("USER#001")]
    [InlineData("1234567890")]
    [InlineData(":v OR 1=1")]
    public void Bad_ids_are_refused_with_an_argument_error(string id)
    {
        var error = Assert.Throws<ArgumentException>(() => Keys.User(id));
        Assert.Contains("id", error.Message);
    }

    [Fact]
    public void Keys_are_read_back_into_ids_and_dates()
    {
        Assert.Equal("004", Keys.MemberIdOf("USER#004"));
        Assert.Equal(new DateOnly(2025, 2, 19), Keys.DateOf("DATE#20250219"));
        Assert.Throws<FormatException>(() => Keys.DateOf("DATE#20250230"));
        Assert.Throws<FormatException>(() => Keys.MemberIdOf("SALE#001"));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 3)]
    [InlineData(80, 3)]
    [InlineData(999, 3)]
    [InlineData(1000, 4)]
    [InlineData(8000, 4)]
    [InlineData(10_000, 5)]
    [InlineData(100_000, 6)]
    [InlineData(10_000_000, 8)]
    public void Ids_are_as_wide_as_the_largest_id_of_their_set_and_never_narrower_than_three(int count, int digits) =>
        Assert.Equal(digits, Keys.IdDigitsFor(count));

    // Every size up to 100,000 in full, then every boundary to ten million: keys compared as DynamoDB compares strings
    // (byte by byte) are in number order, so USER#1000 never sorts between USER#100 and USER#101.
    [Fact]
    public void Keys_sort_in_number_order_at_every_size()
    {
        var sizes = Enumerable.Range(1, 9).SelectMany(p => new[] { (int)Math.Pow(10, p) - 1, (int)Math.Pow(10, p), (int)Math.Pow(10, p) + 1 })
            .Where(n => n <= 10_000_000).Append(8_000);
        foreach (var count in sizes)
        {
            var digits = Keys.IdDigitsFor(count);
            var ids = count <= 100_000 ? Enumerable.Range(1, count) : Enumerable.Range(1, 2_000).Concat(Enumerable.Range(count - 2_000, 2_001));
            var keys = ids.Select(id => Keys.User(Keys.Id(id, digits))).ToList();
            Assert.Equal(keys, keys.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void The_exercise_collision_is_real_past_a_thousand_ids_and_the_separator_avoids_it()
    {
        // Three-digit keys beside four-digit ones: USER#100 is a prefix of USER#1000 to USER#1009.
        var mixed = Enumerable.Range(1, 1_200).Select(Keys.User).ToList();
        Assert.Equal(["USER#100", "USER#1000", "USER#1001"], mixed.Where(k => k.StartsWith("USER#100", StringComparison.Ordinal)).Take(3));
        Assert.Equal(11, mixed.Count(k => k.StartsWith("USER#100", StringComparison.Ordinal)));
        Assert.DoesNotContain(mixed, k => k != "USER#100" && (k + "#SALE#").StartsWith("USER#100#SALE#", StringComparison.Ordinal));
    }
}
