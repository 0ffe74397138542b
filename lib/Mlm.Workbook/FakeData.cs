using System.Globalization;
using Bogus;

namespace Mlm.Workbook;

/// <summary>The settings of one fake data set. The same settings always give the same data.</summary>
/// <param name="Members">How many members; the exercise has 80.</param>
/// <param name="Sales">How many sales; the exercise has 20.</param>
/// <param name="Seed">The random seed.</param>
/// <param name="ReferenceDate">"Today" for the data: sales fall in the 30 days before it.</param>
/// <param name="Sellers">Sales go to members 001 up to this one; the exercise uses 5.</param>
/// <param name="Recruiters">Members recruit from members 001 up to this one; the exercise uses 5.</param>
public sealed record FakeDataOptions(
    int Members = 80, int Sales = 20, int Seed = 42, DateOnly? ReferenceDate = null, int Sellers = 5, int Recruiters = 5)
{
    /// <summary>The reference date used when none is given, so that a default run is reproducible.</summary>
    public static readonly DateOnly DefaultReferenceDate = new(2025, 2, 20);

    /// <summary>The reference date in force.</summary>
    public DateOnly Today => ReferenceDate ?? DefaultReferenceDate;
}

/// <summary>Members and sales generated together.</summary>
/// <param name="Members">Members in id order; member 001 is the root.</param>
/// <param name="Sales">Sales in id order.</param>
public sealed record SeedData(IReadOnlyList<Member> Members, IReadOnlyList<Sale> Sales)
{
    /// <summary>Every item to write: sales first, then members, as the exercise loads them; made one at a time, as they are read.</summary>
    /// <param name="dateShards">Write shards per sale date; see <see cref="Sale.ToItem"/>.</param>
    public IEnumerable<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>> Items(int dateShards = 1) =>
        Sales.Select(sale => sale.ToItem(dateShards)).Concat(Members.Select(member => member.ToItem()));
}

/// <summary>
/// Fake members and sales in the exercise's shapes, made with Bogus. Unlike the exercise, the
/// root member (001) has no recruiter, so the downline is a tree, and emails and phones are unique.
/// </summary>
public static class FakeData
{
    /// <summary>Generates a data set, held in memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or sales are asked for with no members.</exception>
    public static SeedData Generate(FakeDataOptions? options = null)
    {
        options = Checked(options);
        return new SeedData(GenerateMembers(options).ToList(), GenerateSales(options).ToList());
    }

    /// <summary>
    /// The items of the data set <see cref="Generate"/> makes, in the same order (sales, then members), generated one at a
    /// time as they are read: loading a million items holds only the emails and phones already used, not the items.
    /// </summary>
    /// <param name="options">The data set.</param>
    /// <param name="dateShards">Write shards per sale date; see <see cref="Sale.ToItem"/>.</param>
    public static IEnumerable<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>> Items(FakeDataOptions? options = null, int dateShards = 1)
    {
        options = Checked(options);
        return GenerateSales(options).Select(sale => sale.ToItem(dateShards)).Concat(GenerateMembers(options).Select(member => member.ToItem()));
    }

    /// <summary>The most members one data set may have.</summary>
    public const int MaxMembers = 10_000_000;

    /// <summary>The most sales one data set may have.</summary>
    public const int MaxSales = 10_000_000;

    /// <summary>Checks a data set's options before anything is generated or written.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or over its limit, or sales are asked for with no members.</exception>
    public static void Check(FakeDataOptions options) => Checked(options);

    private static FakeDataOptions Checked(FakeDataOptions? options)
    {
        options ??= new FakeDataOptions();
        if (options.Members is < 0 or > MaxMembers)
            throw new ArgumentOutOfRangeException(nameof(options), options.Members, string.Create(CultureInfo.InvariantCulture, $"Members (--users) must be from 0 to {MaxMembers:N0}."));
        if (options.Sales is < 0 or > MaxSales)
            throw new ArgumentOutOfRangeException(nameof(options), options.Sales, string.Create(CultureInfo.InvariantCulture, $"Sales (--sales) must be from 0 to {MaxSales:N0}."));
        if (options.Sales > 0 && options.Members == 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.Sales, "Sales need at least one member to sell them: ask for at least one member (--users), or for no sales (--sales 0).");
        if (options.Sellers < 1 || options.Recruiters < 1) throw new ArgumentOutOfRangeException(nameof(options), "Sellers and recruiters must be at least 1.");
        return options;
    }

    // Members and sales come from two generators seeded from the one seed, so that changing the member count
    // does not change the sales' random stream, and either can be generated without the other.
    private static IEnumerable<Member> GenerateMembers(FakeDataOptions options)
    {
        var faker = new Faker("en") { Random = new Randomizer(options.Seed) };
        var today = options.Today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var digits = Keys.IdDigitsFor(options.Members);
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var phones = new HashSet<string>(StringComparer.Ordinal);
        for (var number = 1; number <= options.Members; number++)
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var recruiter = number == 1 ? null : Keys.Id(faker.Random.Int(1, Math.Min(options.Recruiters, number - 1)), digits);
            var email = Unique(emails, faker.Internet.Email(first, last, "example.com").ToLowerInvariant(), number, (value, n) => value.Replace("@", $".{n}@"));
            var phone = Unique(phones, faker.Phone.PhoneNumber(), number, (value, n) => $"{StripExtension(value)} x{n}");
            var address = $"{faker.Address.StreetAddress()}\n{faker.Address.City()}, {faker.Address.StateAbbr()} {faker.Address.ZipCode("#####")}";
            var joined = faker.Date.Past(5, today);
            yield return new Member(Keys.Id(number, digits), recruiter, $"{first} {last}", email, phone, address, IsoTimestamp(joined));
        }
    }

    private static IEnumerable<Sale> GenerateSales(FakeDataOptions options)
    {
        var faker = new Faker("en") { Random = new Randomizer(unchecked(options.Seed * 31 + 7)) };
        var memberDigits = Keys.IdDigitsFor(options.Members);
        var saleDigits = Keys.IdDigitsFor(options.Sales);
        for (var number = 1; number <= options.Sales; number++)
        {
            var seller = Keys.Id(faker.Random.Int(1, Math.Min(options.Sellers, options.Members)), memberDigits);
            var date = options.Today.AddDays(-faker.Random.Int(1, 30));
            var amount = decimal.Round(faker.Random.Decimal(10m, 500m), 2, MidpointRounding.AwayFromZero);
            var recorded = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddSeconds(faker.Random.Int(0, 86_399));
            yield return new Sale(number, seller, date, amount, faker.Commerce.ProductName(), IsoTimestamp(recorded), saleDigits);
        }
    }

    // Bogus repeats values once the data set is large; a repeat gets the member number woven in.
    internal static string Unique(HashSet<string> seen, string value, int number, Func<string, string, string> disambiguate)
    {
        var candidate = value;
        for (var attempt = 1; !seen.Add(candidate); attempt++)
            candidate = disambiguate(value, attempt == 1 ? $"{number}" : $"{number}0{attempt}");
        return candidate;
    }

    internal static string StripExtension(string phone)
    {
        var extension = phone.IndexOf('x', StringComparison.OrdinalIgnoreCase);
        return (extension < 0 ? phone : phone.Substring(0, extension)).TrimEnd();
    }

    // UTC, and marked so: the Z says which clock the time is on, and a sale's day (sale_date) is its UTC day.
    internal static string IsoTimestamp(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
