namespace Mlm.Workbook.Tests;

public class KeysTests
{
    [Theory]
    [InlineData("4", "USER#004")]
    [InlineData("004", "USER#004")]
    [InlineData(" 17 ", "USER#017")]
    [InlineData("1234", "USER#1234")]
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
}
