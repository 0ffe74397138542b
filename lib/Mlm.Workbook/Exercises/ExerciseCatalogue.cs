using System.Globalization;

namespace Mlm.Workbook;

/// <summary>
/// The workbook's exercises. Each names its inputs (a member, a day, an email) as its task does; what the answer
/// should hold is computed from the table when it is checked, never written down here. The writing and design
/// exercises are in <see cref="WriteExercises"/> and <see cref="DesignExercises"/>.
/// </summary>
internal static class ExerciseCatalogue
{
    public const string RecruiterOf = "030";
    public const string CollectionOf = "004";
    public const double CollectionBudget = 0.5;
    public const string SecondLevelOf = "002";
    public static readonly DateOnly[] Days = [new(2025, 2, 4), new(2025, 2, 5)];
    public const string HandQueryMember = "001";
    public static readonly DateOnly HandQueryDay = new(2025, 2, 11);
    public const string SellerInFebruary = "005";
    public const string PagedMember = "001";
    public const int PageSize = 2;
    public const string Email = "emil_skiles62@example.com";
    public const string Phone = "1-226-449-0020 x4499";
    public static readonly DateOnly RangeDay = new(2025, 2, 4);
    public const string RangeFirst = "001";
    public const string RangeLast = "003";

    public static readonly IReadOnlyList<ExerciseDefinition> All =
    [
        new(new("03-1", "03-get-member-by-id.ipynb", $"Who recruited member {RecruiterOf}?", "1 · get a member by id (table)"),
            new ReadTask(data =>
                {
                    var member = data.Members.Single(m => m.Id == RecruiterOf);
                    var mistakes = new List<Mistake>
                    {
                        Mistake.Of([member], $"this is member {RecruiterOf}'s own profile; the recruiter is the member its recruited_by attribute names: read that one"),
                        Mistake.Of(data.RecruitsOf(RecruiterOf), $"these are the members {RecruiterOf} recruited; the task asked who recruited {RecruiterOf}"),
                    };
                    mistakes.AddRange(data.Members.Where(m => m.Id != member.RecruitedBy && m.Id != RecruiterOf).Select(m =>
                        Mistake.Of([m], $"this is {m.PartitionKey}'s profile, but member {RecruiterOf}'s recruited_by names another member: read {RecruiterOf} first and take the id from there")));
                    return Expectation.Of(data.Members.Where(m => m.Id == member.RecruitedBy), mistakes);
                },
                [null], "read each profile with GetItem or a Query on the table's key: pk = USER#…, sk = PROFILE",
                $"no profile came back: the recruiter's id is in member {RecruiterOf}'s recruited_by attribute (USER#… with three digits)")
            {
                MostReads = _ => 2,
            }),

        new(new("03-2", "03-get-member-by-id.ipynb", $"Member {CollectionOf}'s profile and all its sales, within {CollectionBudget} read units", "item collections; a cost budget"),
            new ReadTask(data => Expectation.Of(data.Members.Where(m => m.Id == CollectionOf), data.Sales.Where(s => s.MemberId == CollectionOf),
                [
                    Mistake.Of(data.Sales.Where(s => s.MemberId == CollectionOf), $"these are member {CollectionOf}'s sales without its profile; the task asks for both"),
                    Mistake.Of(data.Members.Where(m => m.Id == CollectionOf), $"this is member {CollectionOf}'s profile without its sales; the task asks for both"),
                ]),
                [null], $"the profile and the sales are one item collection, the partition USER#{CollectionOf}: read it from the table",
                $"nothing came back: member {CollectionOf}'s items all have pk = USER#{CollectionOf}")
            {
                Result = attempt =>
                {
                    var units = attempt.Reads.Sum(attempt.AwsUnits);
                    if (units <= CollectionBudget) return null;
                    var consistent = attempt.Reads.Any(r => r.ConsistentRead) ? " A strongly consistent read costs twice as much, and the task does not need one." : "";
                    return $"the right items, for {Units(units)} in {ReadTask.Count(attempt.Reads.Count, "request")} ({attempt.Show(attempt.Reads)}); the budget is {Units(CollectionBudget)}. " +
                           $"Every request costs at least one 4 KB block, and these items share one partition key: what single request returns them all?{consistent}";
                },
            }),

        new(new("04-1", "04-list-downline.ipynb", $"The members recruited by the members that {SecondLevelOf} recruited", "2 · direct downline (recruited_by-index)"),
            new ReadTask(data =>
                {
                    var mistakes = new List<Mistake>
                    {
                        Mistake.Of(data.RecruitsOf(SecondLevelOf), $"these are {SecondLevelOf}'s own recruits (level 1); the task asked for the members they recruited (level 2): query the index again for each of them"),
                        Mistake.Of(data.RecruitsOf(SecondLevelOf).Concat(data.SecondLevelOf(SecondLevelOf)), $"this mixes {SecondLevelOf}'s recruits (level 1) with theirs (level 2); the task asked for level 2 only"),
                    };
                    return Expectation.Of(data.SecondLevelOf(SecondLevelOf), mistakes);
                },
                [Indexes.RecruitedBy], "query recruited_by-index once for each of the recruits",
                $"nothing came back: first query recruited_by = USER#{SecondLevelOf}, then query once for each member it returns")
            {
                MostReads = data => 1 + data.RecruitsOf(SecondLevelOf).Count,
                Sent = attempt =>
                {
                    var allowed = attempt.Data.RecruitsOf(SecondLevelOf).Select(m => m.PartitionKey).Append(Keys.User(SecondLevelOf)).ToHashSet();
                    var others = attempt.KeyValuesOf(Attributes.RecruitedBy).Where(v => !allowed.Contains(v)).Distinct().ToList();
                    return others.Count == 0 ? null
                        : $"you queried recruited_by = {string.Join(", ", others.Take(3).Select(v => $"'{v}'"))}, which is neither {SecondLevelOf} nor one of the members {SecondLevelOf} recruited: start from recruited_by = USER#{SecondLevelOf}";
                },
            }),

        new(new("05-1", "05-sales-by-date.ipynb", $"The sales of {Day(Days[0])} and {Day(Days[1])}", "3 · sales on a date (sale_date-sale_reference-index)"),
            new ReadTask(data => Expectation.Of(data.Sales.Where(s => Days.Contains(s.Date)), []),
                [Indexes.SaleDate], "query sale_date-sale_reference-index once per day",
                "nothing came back: the index's partition key is sale_date = DATE#yyyymmdd (Keys.Date builds it)")
            {
                MostReads = _ => Days.Length,
                Sent = attempt => DaysSent(attempt, Days),
            }),

        new(new("05-2", "05-sales-by-date.ipynb", $"Member {HandQueryMember}'s sales on {Day(HandQueryDay)}, as a QueryRequest you write", "3 · a QueryRequest by hand: KeyConditionExpression, values, index"),
            new ReadTask(data => Expectation.Of(data.Sales.Where(s => s.Date == HandQueryDay && s.MemberId == HandQueryMember),
                [
                    Mistake.Of(data.Sales.Where(s => s.Date == HandQueryDay), $"these are every member's sales of {Day(HandQueryDay)}; narrow to member {HandQueryMember} in the key condition, on the index's sort key"),
                    Mistake.Of(data.Sales.Where(s => s.MemberId == HandQueryMember), $"these are all of member {HandQueryMember}'s sales, on every day; the day is the index's partition key"),
                ]),
                [Indexes.SaleDate], "send one Query to sale_date-sale_reference-index, its IndexName set",
                "nothing came back: check the values your placeholders stand for (:date is DATE#yyyymmdd, and sale references start USER#…#SALE#)")
            {
                MostReads = _ => 1,
                Sent = attempt => DaysSent(attempt, [HandQueryDay]),
            }),

        new(new("06-1", "06-sales-of-member.ipynb", $"The sales of member {SellerInFebruary} in February 2025", "4 · sales of a member (sale_reference-index, begins_with)"),
            new ReadTask(data =>
                {
                    static bool InFebruary(Sale sale) => sale.Date is { Year: 2025, Month: 2 };
                    var mistakes = new List<Mistake>
                    {
                        Mistake.Of(data.Sales.Where(s => s.MemberId == SellerInFebruary),
                            $"these are all of member {SellerInFebruary}'s sales, January's too; keep February's with a condition on sale_date (the local index's key holds no date)"),
                        Mistake.Of(data.Sales.Where(InFebruary), $"these are every member's February sales; the key condition should pick member {SellerInFebruary}'s partition"),
                    };
                    return Expectation.Of(data.Sales.Where(s => s.MemberId == SellerInFebruary && InFebruary(s)), mistakes);
                },
                [Indexes.SaleReference, null], $"read member {SellerInFebruary}'s partition (the local index sale_reference-index, or the table): pk = USER#{SellerInFebruary}",
                $"nothing came back: pick member {SellerInFebruary}'s sales with the key condition, and keep the sale_date values of February 2025 (DATE#202502…) with a condition on sale_date")
            {
                MostReads = _ => 1,
                FiltersAllowed = true,
                Sent = attempt => PartitionSent(attempt, SellerInFebruary) ?? FebruarySent(attempt),
            }),

        new(new("06-2", "06-sales-of-member.ipynb", $"Member {PagedMember}'s sales, {PageSize} per page", "paging: Limit, LastEvaluatedKey, ExclusiveStartKey"),
            new ReadTask(data => Expectation.Of(data.Sales.Where(s => s.MemberId == PagedMember), []),
                [null, Indexes.SaleReference], $"query member {PagedMember}'s partition, {PageSize} items per request",
                $"nothing came back: member {PagedMember}'s sales are in the partition USER#{PagedMember}, their sort keys start SALE#")
            {
                MostReads = _ => 1,
                Sent = attempt => PartitionSent(attempt, PagedMember) ?? PagesSent(attempt),
            }),

        new(new("07-1", "07-find-member-by-email-or-phone.ipynb", $"The member with the email {Email}", "5 · member by email (email-index)"),
            new ReadTask(data => Expectation.Of(data.Members.Where(m => m.Email == Email), []),
                [Indexes.Email], "query email-index: email = …",
                "nothing matched: an index query matches the whole value exactly, so copy the email as the task writes it")
            {
                MostReads = _ => 1,
                Sent = attempt => ValueSent(attempt, Attributes.Email, Email),
            }),

        new(new("07-2", "07-find-member-by-email-or-phone.ipynb", $"The member with the phone {Phone}", "6 · member by phone (phone-index)"),
            new ReadTask(data => Expectation.Of(data.Members.Where(m => m.Phone == Phone), []),
                [Indexes.Phone], "query phone-index: phone = …",
                "nothing matched: an index query matches the whole value exactly, extension and all, so copy the phone as the task writes it")
            {
                MostReads = _ => 1,
                Sent = attempt => ValueSent(attempt, Attributes.Phone, Phone),
            }),

        WriteExercises.Register,

        new(new("11-1", "11-key-design-views.ipynb", $"A new access pattern: the sales of {Day(RangeDay)} by members {RangeFirst} to {RangeLast}", "key design: index and key condition"),
            new ReadTask(data =>
                {
                    var first = int.Parse(RangeFirst, CultureInfo.InvariantCulture);
                    var last = int.Parse(RangeLast, CultureInfo.InvariantCulture);
                    bool InRange(Sale sale) => int.Parse(sale.MemberId, CultureInfo.InvariantCulture) is var id && id >= first && id <= last;
                    return Expectation.Of(data.Sales.Where(s => s.Date == RangeDay && InRange(s)),
                    [
                        Mistake.Of(data.Sales.Where(InRange), $"these are the sales of members {RangeFirst} to {RangeLast} on every day; the day is the index's partition key"),
                    ]);
                },
                [Indexes.SaleDate], "one Query on sale_date-sale_reference-index answers it: the day is the partition key, and the members a range of the sort key",
                "nothing came back: the partition key is sale_date = DATE#yyyymmdd, and the sort key sale_reference starts USER#001#SALE#…")
            {
                MostReads = _ => 1,
                Sent = attempt => DaysSent(attempt, [RangeDay]) ?? MemberRangeSent(attempt),
            }),

        DesignExercises.DateRange,
        DesignExercises.SparseIndex,
    ];

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Units(double units) => $"{units.ToString("0.###", CultureInfo.InvariantCulture)} read unit{(units == 1 ? "" : "s")}";

    /// <summary>The days a read's key conditions named, against the task's.</summary>
    private static string? DaysSent(Attempt attempt, IReadOnlyList<DateOnly> days)
    {
        var wanted = days.Select(Keys.Date).ToList();
        var sent = attempt.KeyValuesOf(Attributes.SaleDate).Distinct().ToList();
        var wrong = sent.Where(d => !wanted.Contains(d)).ToList();
        if (wrong.Count > 0)
            return $"you queried sale_date = {string.Join(" and ", wrong.Select(d => $"'{d}'"))}; the task's {(days.Count == 1 ? "day is" : "days are")} {string.Join(" and ", wanted.Select(d => $"'{d}'"))}";
        var missed = wanted.Where(d => !sent.Contains(d)).ToList();
        if (missed.Count > 0 && sent.Count > 0)
            return $"you queried only sale_date = {string.Join(" and ", sent.Select(d => $"'{d}'"))}; a key condition takes one sale_date, so send one query for each day (also {string.Join(", ", missed.Select(d => $"'{d}'"))})";
        return null;
    }

    /// <summary>The partition a read's key condition named, against the member the task asks for.</summary>
    private static string? PartitionSent(Attempt attempt, string memberId)
    {
        var wrong = attempt.KeyValuesOf(Keys.PartitionKey).Where(v => v != Keys.User(memberId)).Distinct().ToList();
        return wrong.Count == 0 ? null : $"you read the partition pk = {string.Join(", ", wrong.Select(v => $"'{v}'"))}; the task asks for member {memberId}'s, pk = '{Keys.User(memberId)}'";
    }

    /// <summary>The value a lookup's key condition named, against the task's.</summary>
    private static string? ValueSent(Attempt attempt, string attribute, string wanted)
    {
        var wrong = attempt.KeyValuesOf(attribute).Where(v => v != wanted).Distinct().ToList();
        return wrong.Count == 0 ? null
            : $"you queried {attribute} = '{wrong[0]}'; the task's {attribute} is '{wanted}' (an index query matches the whole value exactly)";
    }

    /// <summary>Whether the conditions on sale_date keep exactly February 2025, tried on days around its edges.</summary>
    private static string? FebruarySent(Attempt attempt)
    {
        foreach (var read in attempt.FirstPages)
        {
            var onDate = attempt.FilterParts(read).Concat(attempt.KeyParts(read)).Where(p => p.Attribute == Attributes.SaleDate).ToList();
            if (onDate.Count == 0) continue;
            DateOnly[] probes = [new(2025, 1, 31), new(2025, 2, 1), new(2025, 2, 15), new(2025, 2, 28), new(2025, 3, 1)];
            foreach (var day in probes)
            {
                var kept = onDate.All(p => p.Matches(ItemValues.S(Keys.Date(day))));
                if (kept != day is { Year: 2025, Month: 2 })
                    return $"your condition {string.Join(" AND ", onDate.Select(p => p.Text))} {(kept ? "keeps" : "drops")} sale_date '{Keys.Date(day)}'; " +
                           "February 2025 is every sale_date from 'DATE#20250201' to 'DATE#20250228'";
            }
        }
        return null;
    }

    /// <summary>
    /// Whether the sort-key bounds take exactly members 001 to 003's sale references, tried on keys at the range's edges;
    /// several reads are judged together (how many is a rule of its own).
    /// </summary>
    private static string? MemberRangeSent(Attempt attempt)
    {
        var bounds = attempt.FirstPages.Select(read => attempt.KeyParts(read).Where(p => p.Attribute == Attributes.SaleReference).ToList()).ToList();
        if (bounds.Any(b => b.Count == 0))
            return attempt.FirstPages.Any(r => attempt.FilterParts(r).Count > 0) ? null
                : $"your key condition has no bound on the sort key sale_reference, so it returns every sale of {Day(RangeDay)}: bound it to members {RangeFirst} to {RangeLast}";
        (string Reference, bool Belongs)[] probes =
        [
            (Reference(RangeFirst, "001"), true), (Reference("002", "500"), true),
            (Reference(RangeLast, "001"), true), (Reference(RangeLast, "999"), true), (Reference("004", "000"), false),
        ];
        foreach (var (reference, belongs) in probes)
        {
            if (bounds.Any(bound => bound.All(p => p.Matches(ItemValues.S(reference)))) != belongs)
                return $"your bound {string.Join(" or ", bounds.Select(bound => string.Join(" AND ", bound.Select(p => p.Text))))} {(belongs ? "leaves out" : "also takes")} the sale '{reference}'" +
                       (belongs ? $": a sale reference goes on after the member (USER#{RangeLast}#SALE#…), so it sorts after 'USER#{RangeLast}'" : "");
        }
        return null;
    }

    private static string Reference(string member, string sale) => $"{Keys.UserPrefix}{member}#{Keys.SalePrefix}{sale}";

    /// <summary>Whether the reads went page by page: each page at most <see cref="PageSize"/> items, each next one starting where the last ended, to the end.</summary>
    private static string? PagesSent(Attempt attempt)
    {
        var pages = attempt.Reads;
        if (pages.FirstOrDefault(p => p.Limit is null || p.Limit > PageSize) is { } big)
            return $"your {big.Operation} has {(big.Limit is null ? "no Limit" : $"Limit = {big.Limit}")}; the task asks for pages of {PageSize} items (Limit = {PageSize})";
        for (var i = 1; i < pages.Count; i++)
        {
            if (!SameKey(pages[i].ExclusiveStartKey, pages[i - 1].LastEvaluatedKey))
                return pages[i - 1].LastEvaluatedKey is null
                    ? $"request {i + 1} was sent after a page with no LastEvaluatedKey: that page was the last"
                    : $"request {i + 1} started at {Show(pages[i].ExclusiveStartKey)}, but the page before ended at {Show(pages[i - 1].LastEvaluatedKey)}: pass each page's LastEvaluatedKey as the next request's ExclusiveStartKey";
        }
        if (pages[^1].LastEvaluatedKey is { } more)
            return $"your last page still had a LastEvaluatedKey ({Show(more)}): DynamoDB had more to give. Send another request with ExclusiveStartKey set to it, until a response has none";
        return pages.Count < 2 ? "one page held everything; the task asks you to page through it" : null;
    }

    private static bool SameKey(Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? a, Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? b) =>
        (a is null || a.Count == 0) ? (b is null || b.Count == 0)
        : b is not null && a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && ItemOrder.Compare(kv.Value, v) == 0);

    private static string Show(Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>? key) =>
        key is null || key.Count == 0 ? "the start" : "{" + string.Join(", ", key.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}: {Condition.Show(k.Value)}")) + "}";
}
