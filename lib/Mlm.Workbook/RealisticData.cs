using System.Globalization;
using Bogus;

namespace Mlm.Workbook;

/// <summary>The settings of the realistic data set. The same settings always give the same data.</summary>
/// <param name="Members">How many members join over the months (1 to <see cref="RealisticData.MaxMembers"/>).</param>
/// <param name="Months">How many whole calendar months the data covers, ending with the month before the reference date (1 to 120).</param>
/// <param name="Seed">The random seed.</param>
/// <param name="ReferenceDate">"Today" for the data; the default is the exercise's, 2025-02-20.</param>
public sealed record RealisticDataOptions(int Members = 300, int Months = 12, int Seed = 42, DateOnly? ReferenceDate = null)
{
    /// <summary>The reference date in force.</summary>
    public DateOnly Today => ReferenceDate ?? FakeDataOptions.DefaultReferenceDate;

    /// <summary>The first day of the data: the first day of the first month.</summary>
    public DateOnly FirstDay => new DateOnly(Today.Year, Today.Month, 1).AddMonths(-Months);

    /// <summary>The last day of the data: the last day of the month before the reference date's.</summary>
    public DateOnly LastDay => new DateOnly(Today.Year, Today.Month, 1).AddDays(-1);
}

/// <summary>
/// A data set an analyst can ask questions of, beside the exercise's faithful one: members join over months (more each
/// month), recruited at every level by members who joined before them, so the tree is deep and a few recruit many; every
/// member may sell, some often, most now and then, some never, and some stop; sales follow the seasons (a December peak,
/// a summer dip, quieter weekends) and sell products of a catalogue at its prices. Made with Bogus from one seed.
/// </summary>
public static class RealisticData
{
    /// <summary>The most members the realistic data set may have.</summary>
    public const int MaxMembers = 20_000;

    /// <summary>The most months it may cover.</summary>
    public const int MaxMonths = 120;

    // Sales in a month relative to an average month, January to December.
    private static readonly double[] Season = [0.85, 0.90, 1.00, 1.00, 1.05, 0.95, 0.80, 0.85, 1.00, 1.05, 1.25, 1.45];

    // Kinds of seller: share of members, sales per 30 active days, chance of a first sale within 30 days of joining.
    private static readonly (double Share, double Rate, double Starter)[] Sellers =
        [(0.20, 0.0, 0.25), (0.50, 1.2, 0.60), (0.25, 3.0, 0.85), (0.05, 8.0, 0.95)];

    /// <summary>Checks the options before anything is generated or written.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of its range.</exception>
    public static void Check(RealisticDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Members is < 1 or > MaxMembers)
            throw new ArgumentOutOfRangeException(nameof(options), options.Members, string.Create(CultureInfo.InvariantCulture, $"Members (--users) of the realistic data set must be from 1 to {MaxMembers:N0}."));
        if (options.Months is < 1 or > MaxMonths)
            throw new ArgumentOutOfRangeException(nameof(options), options.Months, $"Months (--months) must be from 1 to {MaxMonths}.");
    }

    /// <summary>Generates the data set, held in memory: members in id order (which is join order), sales in id order (which is time order).</summary>
    public static SeedData Generate(RealisticDataOptions? options = null)
    {
        options ??= new RealisticDataOptions();
        Check(options);
        var random = new Randomizer(unchecked(options.Seed * 17 + 3));
        var people = new Faker("en") { Random = new Randomizer(options.Seed) };
        var first = options.FirstDay;
        var days = options.LastDay.DayNumber - first.DayNumber + 1;
        var digits = Keys.IdDigitsFor(options.Members);

        // Join days: the first members in the first two weeks, then more and more members each month (density grows with time).
        var founders = Math.Min(options.Members, 6);
        var joins = Enumerable.Range(0, options.Members)
            .Select(n => n < founders ? Math.Min(days - 1, n * 2) : (int)(days * Math.Pow(random.Double(), 1 / 1.7)))
            .Order().ToList();

        var members = new List<Member>(options.Members);
        var recruits = new int[options.Members];
        var propensity = new double[options.Members];
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var phones = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < options.Members; index++)
        {
            // Most members recruit little, a few recruit a lot; a member who has recruited is more likely to recruit again.
            propensity[index] = random.Double() switch { < 0.45 => 0.15, < 0.85 => 1.0, _ => 3.0 };
            int? recruiter = index == 0 ? null : index < founders ? 0 : Choose(random, index, j => propensity[j] * (1 + 0.3 * recruits[j]));
            if (recruiter is { } r) recruits[r]++;
            var firstName = people.Name.FirstName();
            var lastName = people.Name.LastName();
            var number = index + 1;
            var email = FakeData.Unique(emails, people.Internet.Email(firstName, lastName, "example.com").ToLowerInvariant(), number, (value, n) => value.Replace("@", $".{n}@"));
            var phone = FakeData.Unique(phones, people.Phone.PhoneNumber(), number, (value, n) => $"{FakeData.StripExtension(value)} x{n}");
            var address = $"{people.Address.StreetAddress()}\n{people.Address.City()}, {people.Address.StateAbbr()} {people.Address.ZipCode("#####")}";
            var joined = first.AddDays(joins[index]).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddSeconds(random.Int(0, 86_399));
            members.Add(new Member(Keys.Id(number, digits), recruiter is { } id ? Keys.Id(id + 1, digits) : null,
                $"{firstName} {lastName}", email, phone, address, FakeData.IsoTimestamp(joined)));
        }

        var sales = new List<(DateTime At, string MemberId, Product Product, int Quantity)>();
        for (var index = 0; index < options.Members; index++)
        {
            var kind = Sellers[ChooseKind(random.Double())];
            var joined = joins[index];
            // A member stays active for a number of months: each month after the first, one in sixteen stops selling.
            var activeDays = 30;
            while (random.Double() > 1 / 16.0 && activeDays < days) activeDays += 30;
            var lastActive = Math.Min(days - 1, joined + activeDays);
            if (random.Double() < kind.Starter)
            {
                var day = joined + random.Int(0, 29);
                if (day < days) sales.Add(SaleOn(random, first.AddDays(day), members[index].Id));
            }
            for (var day = joined; day <= lastActive; day++)
            {
                var date = first.AddDays(day);
                var weekday = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.7 : 1.1;
                if (random.Double() < kind.Rate / 30 * Season[date.Month - 1] * weekday)
                    sales.Add(SaleOn(random, date, members[index].Id));
            }
        }

        var ordered = sales.OrderBy(s => s.At).ThenBy(s => s.MemberId, StringComparer.Ordinal).ToList();
        var saleDigits = Keys.IdDigitsFor(ordered.Count);
        return new SeedData(members, ordered.Select((s, i) =>
        {
            var amount = decimal.Round(s.Product.UnitPrice * s.Quantity, 2, MidpointRounding.AwayFromZero);
            return new Sale(i + 1, s.MemberId, DateOnly.FromDateTime(s.At), amount, s.Product.Name, FakeData.IsoTimestamp(s.At), saleDigits,
                new SaleLine(s.Product.Id, s.Product.Category, s.Product.UnitPrice, s.Quantity));
        }).ToList());
    }

    /// <summary>The data set in words, for messages: <c>realistic, seed 42, 300 members, 12 months to 2025-01-31</c>.</summary>
    public static string Describe(RealisticDataOptions options) => string.Create(CultureInfo.InvariantCulture,
        $"realistic, seed {options.Seed}, {options.Members} members, {options.Months} months from {options.FirstDay:yyyy-MM-dd} to {options.LastDay:yyyy-MM-dd}");

    private static (DateTime, string, Product, int) SaleOn(Randomizer random, DateOnly date, string memberId)
    {
        var product = ChooseProduct(random.Int(0, TotalPopularity - 1));
        var quantity = random.Double() switch { < 0.70 => 1, < 0.90 => 2, _ => random.Int(3, 5) };
        var at = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddSeconds(random.Int(0, 86_399));
        return (at, memberId, product, quantity);
    }

    private static readonly int TotalPopularity = ProductCatalogue.All.Sum(p => p.Popularity);

    private static Product ChooseProduct(int ticket)
    {
        foreach (var product in ProductCatalogue.All)
        {
            if (ticket < product.Popularity) return product;
            ticket -= product.Popularity;
        }
        return ProductCatalogue.All[^1];
    }

    private static int ChooseKind(double draw)
    {
        for (var kind = 0; kind < Sellers.Length; kind++)
        {
            if (draw < Sellers[kind].Share) return kind;
            draw -= Sellers[kind].Share;
        }
        return Sellers.Length - 1;
    }

    // One of the members 0 to count-1, each with the chance its weight gives it.
    private static int Choose(Randomizer random, int count, Func<int, double> weight)
    {
        var total = 0.0;
        for (var j = 0; j < count; j++) total += weight(j);
        var ticket = random.Double() * total;
        for (var j = 0; j < count; j++)
        {
            ticket -= weight(j);
            if (ticket < 0) return j;
        }
        return count - 1;
    }
}
