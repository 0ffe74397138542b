namespace Mlm.Workbook.Tests;

/// <summary>Generated odd inputs through every access pattern: a clear argument error or a result, never anything else.</summary>
public class InputSweepTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string[] Fixed =
    [
        "", " ", "\t\n", "#", "USER#001", "001#", "0", "-1", "1.5", "1e3", "٣", "001\u0000", "１２３", "9999999999",
        ":v OR 1=1", "\" OR \"\"=\"", "'; DROP TABLE mlm; --", "${pk}", "a@b", "@example.com", "a@@b.com", "ada@example",
        "ädä@exämple.com", "😀@example.com", "+1 (555) 010-0000 x12", "555-0100x", "x123", "2025-02-30", "2025-13-01",
        "20250219", new string('9', 5000), new string('a', 300) + "@example.com",
    ];

    private static readonly string[] Pieces =
        ["0", "1", "7", "9", "#", "@", ".", ":", "-", "+", "(", ")", "x", " ", "=", "Ä", "é", "Ω", "漢", "😀", "\"", "'", "\\", "\n", "USER", "OR", "example.com"];

    private static IEnumerable<string> Generated(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
            yield return string.Concat(Enumerable.Range(0, random.Next(0, 15)).Select(_ => Pieces[random.Next(Pieces.Length)]));
    }

    [Fact]
    public async Task Every_access_pattern_answers_odd_input_with_an_argument_error_or_a_result()
    {
        var (store, _) = await dynamo.SeededTableAsync("sweep");
        var patterns = new (string Name, Func<string, Task<ReadResult>> Read)[]
        {
            ("GetMember", value => store.GetMemberAsync(value, Cancel)),
            ("QueryMember", value => store.QueryMemberAsync(value, Cancel)),
            ("Downline", value => store.GetDownlineAsync(value, Cancel)),
            ("SalesOfMember", value => store.GetSalesOfMemberAsync(value, Cancel)),
            ("SalesOnDate", value => store.GetSalesOnDateAsync(Inputs.Date(value), cancellationToken: Cancel)),
            ("SalesOnDateOfMember", value => store.GetSalesOnDateAsync(new DateOnly(2025, 2, 7), value, Cancel)),
            ("ByEmail", value => store.FindMemberByEmailAsync(value, Cancel)),
            ("ByPhone", value => store.FindMemberByPhoneAsync(value, Cancel)),
        };
        var answered = 0;
        foreach (var input in Fixed.Concat(Generated(seed: 2026, count: 150)))
        {
            foreach (var (name, read) in patterns)
            {
                try
                {
                    var result = await read(input);
                    // Anything that got through was a value the pattern accepts, and found at most what exists.
                    Assert.True(result.Count <= 100, $"{name}({input})");
                    answered++;
                }
                catch (ArgumentException e)
                {
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                    Assert.DoesNotContain("Amazon", e.StackTrace ?? "", StringComparison.Ordinal);
                }
            }
        }
        Assert.True(answered > 0);
        Assert.Equal(100, (await store.KeysAsync(Cancel)).Count); // no input changed anything
    }

    [Theory]
    [InlineData("2025-02-30")]
    [InlineData("2025-2-3")]
    [InlineData("19/02/2025")]
    [InlineData("")]
    public void Impossible_or_malformed_dates_are_refused(string date)
    {
        var error = Assert.Throws<ArgumentException>(() => Inputs.Date(date));
        Assert.Contains("date", error.Message);
    }

    [Theory]
    [InlineData("ana@example.com", true)]
    [InlineData(" Ana@Example.com ", true)]
    [InlineData("ana@example", false)]
    [InlineData("ana example@example.com", false)]
    [InlineData(":v OR 1=1", false)]
    public void Emails_are_checked(string email, bool valid)
    {
        if (valid) Assert.Equal(email.Trim(), Inputs.Email(email));
        else Assert.Throws<ArgumentException>(() => Inputs.Email(email));
    }
}
