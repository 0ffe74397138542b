using System.Globalization;

namespace Mlm.Workbook;

/// <summary>
/// The workbook's exercises. Each names its inputs (a member, a day, an email) as its task does; what the answer
/// should hold is computed from the table when it is checked, never written down here.
/// </summary>
internal static class ExerciseCatalogue
{
    public const string RecruiterOf = "030";
    public const string SecondLevelOf = "002";
    public static readonly DateOnly[] Days = [new(2025, 2, 4), new(2025, 2, 5)];
    public const string SellerInFebruary = "005";
    public const string Email = "emil_skiles62@example.com";
    public const string Phone = "1-226-449-0020 x4499";
    public static readonly DateOnly RangeDay = new(2025, 2, 4);
    public const string RangeFirst = "001";
    public const string RangeLast = "003";

    public static readonly IReadOnlyList<ExerciseDefinition> All =
    [
        new(new("03-1", "03-get-member-by-id.ipynb", $"Who recruited member {RecruiterOf}?", "1 · get a member by id (table)"),
            [null], "read the profile with GetItem or a Query on the table's key: pk = USER#…, sk = PROFILE",
            $"no profile came back: the recruiter's id is in member {RecruiterOf}'s recruited_by attribute (USER#… with three digits)",
            data =>
            {
                var member = data.Members.Single(m => m.Id == RecruiterOf);
                return Expectation.Of(data.Members.Where(m => m.Id == member.RecruitedBy),
                [
                    Mistake.Of([member], $"this is member {RecruiterOf}'s own profile; the recruiter is the member its recruited_by attribute names: read that one"),
                    Mistake.Of(data.RecruitsOf(RecruiterOf), $"these are the members {RecruiterOf} recruited; the task asked who recruited {RecruiterOf}"),
                ]);
            }),

        new(new("04-1", "04-list-downline.ipynb", $"The members recruited by the members that {SecondLevelOf} recruited", "2 · direct downline (recruited_by-index)"),
            [Indexes.RecruitedBy], "query recruited_by-index once for each of the recruits; a scan reads every item of the table",
            $"nothing came back: first query recruited_by = USER#{SecondLevelOf}, then query once for each member it returns",
            data =>
            {
                var mistakes = new List<Mistake>
                {
                    Mistake.Of(data.RecruitsOf(SecondLevelOf), $"these are {SecondLevelOf}'s own recruits (level 1); the task asked for the members they recruited (level 2): query the index again for each of them"),
                    Mistake.Of(data.RecruitsOf(SecondLevelOf).Concat(data.SecondLevelOf(SecondLevelOf)), $"this mixes {SecondLevelOf}'s recruits (level 1) with theirs (level 2); the task asked for level 2 only"),
                };
                foreach (var other in data.Members.Where(m => m.Id != SecondLevelOf))
                {
                    mistakes.Add(Mistake.Of(data.SecondLevelOf(other.Id), $"these are the recruits of member {other.Id}'s recruits; the task asked for {SecondLevelOf}'s"));
                    mistakes.Add(Mistake.Of(data.RecruitsOf(other.Id), $"these are member {other.Id}'s recruits; the task asked for the recruits of the members {SecondLevelOf} recruited"));
                }
                return Expectation.Of(data.SecondLevelOf(SecondLevelOf), mistakes);
            }),

        new(new("05-1", "05-sales-by-date.ipynb", $"The sales of {Day(Days[0])} and {Day(Days[1])}", "3 · sales on a date (sale_date-sale_reference-index)"),
            [Indexes.SaleDate], "query sale_date-sale_reference-index once per day; a scan reads every item of the table",
            "nothing came back: the index's partition key is sale_date = DATE#yyyymmdd (Keys.Date builds it)",
            data => Expectation.Of(data.Sales.Where(s => Days.Contains(s.Date)),
                Days.Select(day => Mistake.Of(data.Sales.Where(s => s.Date == day),
                    $"these are the sales of {Day(day)} only; a key condition takes one sale_date, so send one query per day and answer with both")))),

        new(new("06-1", "06-sales-of-member.ipynb", $"The sales of member {SellerInFebruary} in February 2025", "4 · sales of a member (sale_reference-index, begins_with)"),
            [Indexes.SaleReference, null], $"read member {SellerInFebruary}'s partition (the local index sale_reference-index, or the table): pk = USER#{SellerInFebruary}",
            $"nothing came back: the key condition is pk = USER#{SellerInFebruary} AND begins_with(sale_reference, USER#{SellerInFebruary}#SALE#), and the filter keeps sale_date values that begin with DATE#202502",
            data =>
            {
                static bool InFebruary(Sale sale) => sale.Date is { Year: 2025, Month: 2 };
                var mistakes = new List<Mistake>
                {
                    Mistake.Of(data.Sales.Where(s => s.MemberId == SellerInFebruary),
                        $"these are all of member {SellerInFebruary}'s sales, January's too; keep February's with a filter on sale_date (the local index's key holds no date)"),
                    Mistake.Of(data.Sales.Where(InFebruary), $"these are every member's February sales; the key condition should pick member {SellerInFebruary}'s partition"),
                };
                mistakes.AddRange(data.Sales.Select(s => s.MemberId).Distinct().Where(id => id != SellerInFebruary).Select(id =>
                    Mistake.Of(data.Sales.Where(s => s.MemberId == id && InFebruary(s)), $"these are member {id}'s February sales; the task asked for {SellerInFebruary}'s")));
                return Expectation.Of(data.Sales.Where(s => s.MemberId == SellerInFebruary && InFebruary(s)), mistakes);
            }),

        new(new("07-1", "07-find-member-by-email-or-phone.ipynb", $"The member with the email {Email}", "5 · member by email (email-index)"),
            [Indexes.Email], "query email-index: email = …; a scan reads every item of the table",
            "nothing matched: an index query matches the whole value exactly, so copy the email as the task writes it",
            data => Expectation.Of(data.Members.Where(m => m.Email == Email),
                data.Members.Where(m => m.Email != Email).Select(m => Mistake.Of([m], $"this is member {m.Id}, whose email is {m.Email}; the task asked for the member with {Email}")))),

        new(new("07-2", "07-find-member-by-email-or-phone.ipynb", $"The member with the phone {Phone}", "6 · member by phone (phone-index)"),
            [Indexes.Phone], "query phone-index: phone = …; a scan reads every item of the table",
            "nothing matched: an index query matches the whole value exactly, extension and all, so copy the phone as the task writes it",
            data => Expectation.Of(data.Members.Where(m => m.Phone == Phone),
                data.Members.Where(m => m.Phone != Phone).Select(m => Mistake.Of([m], $"this is member {m.Id}, whose phone is {m.Phone}; the task asked for the member with {Phone}")))),

        new(new("11-1", "11-key-design-views.ipynb", $"A new access pattern: the sales of {Day(RangeDay)} by members {RangeFirst} to {RangeLast}", "key design: index and key condition"),
            [Indexes.SaleDate], "one Query on sale_date-sale_reference-index answers it: the day is the partition key, and the members a range of the sort key",
            "nothing came back: the partition key is sale_date = DATE#yyyymmdd, and the sort key sale_reference starts USER#001#SALE#…",
            data =>
            {
                var first = int.Parse(RangeFirst, CultureInfo.InvariantCulture);
                var last = int.Parse(RangeLast, CultureInfo.InvariantCulture);
                bool InRange(Sale sale) => int.Parse(sale.MemberId, CultureInfo.InvariantCulture) is var id && id >= first && id <= last;
                var ofDay = data.Sales.Where(s => s.Date == RangeDay).ToList();
                return Expectation.Of(ofDay.Where(InRange),
                [
                    Mistake.Of(ofDay, $"these are all the sales of {Day(RangeDay)}, other members' too; bound the sort key sale_reference in the key condition (BETWEEN, or < the first key past the range)"),
                    Mistake.Of(data.Sales.Where(InRange), $"these are the sales of members {RangeFirst} to {RangeLast} on every day; the day is the index's partition key"),
                ]);
            }),
    ];

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
