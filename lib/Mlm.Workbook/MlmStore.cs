using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// The exercise's table behind its access patterns: one method per pattern, named for what it finds. This is the one
/// object a notebook works with; the work itself is done by the types it holds: table administration
/// (<see cref="WorkbookTable"/>), seeding policy (<see cref="Seeder"/>), batch writes (<see cref="Mlm.Workbook.BatchWriter"/>),
/// the member registry (<see cref="MemberRegistry"/>) and paged reads (<see cref="PagedReader"/>).
/// </summary>
public sealed class MlmStore
{
    /// <summary>The most items one BatchWriteItem request may carry.</summary>
    public const int BatchSize = BatchWriter.BatchSize;

    /// <summary>BatchWriteItem requests in flight at once when writing; see <see cref="WriteAsync"/>.</summary>
    public const int DefaultConcurrency = BatchWriter.DefaultConcurrency;

    private readonly IAmazonDynamoDB _client;
    private readonly PagedReader _reader;
    private readonly BatchWriter _writer;
    private readonly WorkbookTable _table;
    private readonly Seeder _seeder;
    private readonly MemberRegistry _registry;

    /// <summary>Wraps a client and a table.</summary>
    /// <param name="client">The DynamoDB client.</param>
    /// <param name="tableName">The table.</param>
    /// <param name="confirmDeletes">
    /// When true (as for real AWS), deleting or resetting the table needs its name passed again as confirmation.
    /// </param>
    public MlmStore(IAmazonDynamoDB client, string tableName = TableDefinition.DefaultTableName, bool confirmDeletes = false)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        if (string.IsNullOrWhiteSpace(tableName)) throw new ArgumentException("A table name is required.", nameof(tableName));
        TableName = tableName;
        ConfirmDeletes = confirmDeletes;
        _reader = new PagedReader(client, tableName);
        _writer = new BatchWriter(client, tableName);
        _table = new WorkbookTable(this);
        _seeder = new Seeder(this, _writer);
        _registry = new MemberRegistry(this);
    }

    /// <summary>Whether deleting or resetting the table needs its name as confirmation.</summary>
    public bool ConfirmDeletes { get; }

    /// <summary>The table this store reads and writes.</summary>
    public string TableName { get; }

    /// <summary>The client this store uses.</summary>
    public IAmazonDynamoDB Client => _client;

    /// <summary>Creates the table if it is missing (see <see cref="TableDefinition.CreateAsync"/>).</summary>
    public Task<bool> CreateTableAsync(CancellationToken cancellationToken = default) => _table.CreateAsync(cancellationToken);

    /// <summary>Deletes the table if it exists.</summary>
    /// <param name="confirmTableName">The table's name again; required when <see cref="ConfirmDeletes"/> is set (real AWS).</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>True when a table was deleted.</returns>
    /// <exception cref="InvalidOperationException">Confirmation was needed and not given.</exception>
    public Task<bool> DeleteTableAsync(string? confirmTableName = null, CancellationToken cancellationToken = default) =>
        _table.DeleteAsync(confirmTableName, cancellationToken);

    /// <summary>
    /// Deletes the workbook's table and the tables the notebooks make beside it: <c>TABLE_analytics</c> (notebook 8's realistic data), <c>TABLE_scale</c> (notebook 9),
    /// <c>TABLE_costs</c> (12), <c>TABLE_designs</c> (13), <c>TABLE_patterns</c> (14) and the exercises' copies <c>TABLE-exercise-*</c>, whichever exist.
    /// </summary>
    /// <param name="confirmTableName">The workbook table's name again; required when <see cref="ConfirmDeletes"/> is set (real AWS).</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>The names of the tables deleted.</returns>
    /// <exception cref="ConfirmationRequiredException">Confirmation was needed and not given.</exception>
    public Task<IReadOnlyList<string>> DeleteWorkbookTablesAsync(string? confirmTableName = null, CancellationToken cancellationToken = default) =>
        _table.DeleteAllAsync(confirmTableName, cancellationToken);

    /// <summary>
    /// Gives the workbook an empty table of its design: creates it if missing, or deletes and re-creates it when it holds
    /// only the workbook's own data (members, sales, uniqueness markers). A table of another shape, or holding any other
    /// item, is never deleted: <see cref="ForeignTableException"/> says what is there and how to proceed. Where deletes need
    /// confirmation (real AWS) and none is given, an existing table is kept as it is.
    /// </summary>
    /// <param name="confirmTableName">The table's name again, to reset it where <see cref="ConfirmDeletes"/> is set.</param>
    /// <param name="cancellationToken">Cancels the reset.</param>
    /// <returns>True when the table is new and empty.</returns>
    /// <exception cref="ForeignTableException">The table holds something other than the workbook's data.</exception>
    public Task<bool> ResetWorkbookTableAsync(string? confirmTableName = null, CancellationToken cancellationToken = default) =>
        _table.ResetAsync(confirmTableName, cancellationToken);

    internal void RequireConfirmation(string? confirmTableName, string action)
    {
        if (ConfirmDeletes && confirmTableName != TableName)
            throw new ConfirmationRequiredException(TableName, action);
    }

    /// <summary>The console's Overview and Indexes tabs, as data.</summary>
    public Task<TableOverview> DescribeTableAsync(CancellationToken cancellationToken = default) =>
        TableOverview.ReadAsync(_client, TableName, cancellationToken);

    /// <summary>
    /// Writes every member and sale of a data set. Seeding is idempotent: the same data written again leaves
    /// exactly the same items, and a seed cut off half way is completed by running it again. A table holding
    /// other items, or the same items with other values (another seed, date or size), is refused unless
    /// <paramref name="existing"/> says what to do; a seed of other data running at the same time is refused too.
    /// </summary>
    /// <param name="data">The members and sales.</param>
    /// <param name="existing">What to do with items already in the table.</param>
    /// <param name="progress">Told the running total of items written.</param>
    /// <param name="confirmTableName">For <see cref="ExistingItems.Reset"/> on AWS: the table's name again.</param>
    /// <param name="dateShards">Write shards per sale date (1, the exercise's way, for none); see <see cref="Sale.ToItem"/>.</param>
    /// <param name="cancellationToken">Stops between requests.</param>
    /// <returns>How many items were written.</returns>
    /// <exception cref="SeedRefusedException">The table holds other data, or another seed is under way; the message names the difference.</exception>
    public Task<int> SeedAsync(SeedData data, ExistingItems existing = ExistingItems.Refuse, IProgress<int>? progress = null,
        string? confirmTableName = null, int dateShards = 1, CancellationToken cancellationToken = default)
    {
        if (data is null) throw new ArgumentNullException(nameof(data));
        return _seeder.SeedAsync(SeedDataSet.From(data, dateShards), existing, progress, confirmTableName, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="SeedAsync(SeedData, ExistingItems, IProgress{int}, string, int, CancellationToken)"/>, for the data set
    /// these options generate, generated as it is written: memory stays flat however large the data set.
    /// </summary>
    public Task<int> SeedAsync(FakeDataOptions options, ExistingItems existing = ExistingItems.Refuse, IProgress<int>? progress = null,
        string? confirmTableName = null, int dateShards = 1, CancellationToken cancellationToken = default)
    {
        FakeData.Check(options ?? throw new ArgumentNullException(nameof(options)));
        return _seeder.SeedAsync(SeedDataSet.From(options, dateShards), existing, progress, confirmTableName, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="SeedAsync(SeedData, ExistingItems, IProgress{int}, string, int, CancellationToken)"/>, for the realistic
    /// data set these options generate (see <see cref="RealisticData"/>).
    /// </summary>
    public Task<int> SeedAsync(RealisticDataOptions options, ExistingItems existing = ExistingItems.Refuse, IProgress<int>? progress = null,
        string? confirmTableName = null, CancellationToken cancellationToken = default)
    {
        RealisticData.Check(options ?? throw new ArgumentNullException(nameof(options)));
        return _seeder.SeedAsync(SeedDataSet.From(options), existing, progress, confirmTableName, cancellationToken);
    }

    /// <summary>The <c>pk|sk</c> of every item in the table, read with a keys-only scan.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(CancellationToken cancellationToken = default) =>
        (await _reader.ScanAsync("pk, sk", cancellationToken).ConfigureAwait(false)).Items.Select(Keys.KeyText).ToList();

    /// <summary>Puts items in BatchWriteItem requests of 25, several at a time; see <see cref="Mlm.Workbook.BatchWriter"/>.</summary>
    /// <param name="items">Items to put, read once.</param>
    /// <param name="progress">Told the running total of items written, in increasing order, after each request.</param>
    /// <param name="concurrency">How many requests may be in flight at once; 1 writes strictly in order.</param>
    /// <param name="cancellationToken">Stops between requests.</param>
    /// <returns>How many items were written.</returns>
    public Task<int> WriteAsync(IEnumerable<Dictionary<string, AttributeValue>> items, IProgress<int>? progress = null,
        int concurrency = DefaultConcurrency, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(items, progress, concurrency, cancellationToken);

    /// <summary>
    /// Adds a member in one transaction: the profile, and a marker item for its email and for its phone, each
    /// written only if no such item exists, and only if the recruiter exists. A taken id, email or phone is
    /// refused with <see cref="DuplicateValueException"/> naming the field, and then nothing is written.
    /// </summary>
    /// <exception cref="ArgumentException">A value is malformed, or the member recruits itself, or a non-root member has no recruiter.</exception>
    /// <exception cref="DuplicateValueException">The id, email or phone is taken.</exception>
    /// <exception cref="InvalidOperationException">The recruiter does not exist.</exception>
    public Task RegisterMemberAsync(Member member, CancellationToken cancellationToken = default) =>
        _registry.RegisterMemberAsync(member, cancellationToken);

    /// <summary>
    /// Changes a member's email and/or phone in one transaction: the profile is updated only if it still holds the
    /// old values, the old markers are deleted and the new ones written only if free.
    /// </summary>
    /// <exception cref="DuplicateValueException">The new email or phone is taken; nothing changed.</exception>
    /// <exception cref="InvalidOperationException">The member does not exist, or changed meanwhile.</exception>
    public Task ChangeContactAsync(string memberId, string? newEmail = null, string? newPhone = null, CancellationToken cancellationToken = default) =>
        _registry.ChangeContactAsync(memberId, newEmail, newPhone, cancellationToken);

    /// <summary>Removes a member who recruited nobody: the profile and its two markers, in one transaction.</summary>
    /// <exception cref="InvalidOperationException">The member does not exist or has recruits.</exception>
    public Task RemoveMemberAsync(string memberId, CancellationToken cancellationToken = default) =>
        _registry.RemoveMemberAsync(memberId, cancellationToken);

    /// <summary>Access pattern 1, the direct way: GetItem on <c>pk=USER#id</c>, <c>sk=PROFILE</c>.</summary>
    /// <param name="memberId">The member id: <c>"4"</c> or <c>"004"</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ReadResult> GetMemberAsync(string memberId, CancellationToken cancellationToken = default) =>
        PagedReader.GetItemAsync(_client, TableName, Keys.ProfileKey(memberId), cancellationToken);

    /// <summary>Access pattern 1 as the exercise writes it: a Query with <c>pk = USER#id AND sk = PROFILE</c>.</summary>
    public Task<ReadResult> QueryMemberAsync(string memberId, CancellationToken cancellationToken = default) =>
        _reader.QueryAsync(null, "pk = :pk AND sk = :sk",
            new() { [":pk"] = Keys.User(memberId), [":sk"] = Keys.Profile }, cancellationToken);

    /// <summary>Access pattern 2: the members a member recruited directly, from <c>recruited_by-index</c>.</summary>
    public Task<ReadResult> GetDownlineAsync(string memberId, CancellationToken cancellationToken = default) =>
        _reader.QueryAsync(Indexes.RecruitedBy, "recruited_by = :recruiter",
            new() { [":recruiter"] = Keys.User(memberId) }, cancellationToken);

    /// <summary>
    /// Access pattern 3: the sales of one day, from <c>sale_date-sale_reference-index</c>,
    /// optionally narrowed to one member's sales with <c>begins_with</c> on the sale reference.
    /// </summary>
    public Task<ReadResult> GetSalesOnDateAsync(DateOnly date, string? memberId = null, CancellationToken cancellationToken = default) =>
        memberId is null
            ? _reader.QueryAsync(Indexes.SaleDate, "sale_date = :date",
                new() { [":date"] = Keys.Date(date) }, cancellationToken)
            : _reader.QueryAsync(Indexes.SaleDate, "sale_date = :date AND begins_with(sale_reference, :reference)",
                new() { [":date"] = Keys.Date(date), [":reference"] = Keys.SaleReferencePrefix(memberId) }, cancellationToken);

    /// <summary>
    /// Access pattern 3 for write-sharded dates: one query per shard key (<c>DATE#20250219#0</c> … <c>#n-1</c>), sent in
    /// parallel, their sales merged in sale reference order (scatter-gather).
    /// </summary>
    /// <param name="date">The day.</param>
    /// <param name="shards">How many shards the day was written over.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    public async Task<ReadResult> GetSalesOnShardedDateAsync(DateOnly date, int shards, CancellationToken cancellationToken = default)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "At least one shard.");
        var parts = await Task.WhenAll(Enumerable.Range(0, shards).Select(shard =>
            _reader.QueryAsync(Indexes.SaleDate, "sale_date = :date", new() { [":date"] = Keys.ShardedDate(date, shard) }, cancellationToken))).ConfigureAwait(false);
        var items = parts.SelectMany(p => p.Items)
            .OrderBy(item => item[Attributes.SaleReference].S, StringComparer.Ordinal).ToList();
        var request = new ReadRequest($"Query × {shards}", TableName, Indexes.SaleDate, "sale_date = :date",
            new Dictionary<string, string> { [":date"] = $"{Keys.ShardedDate(date, 0)} … {Keys.ShardedDate(date, shards - 1)}" });
        return new ReadResult(request, items, parts.Sum(p => p.Pages), parts.Sum(p => p.ScannedCount), parts.Sum(p => p.CapacityUnits))
            { AwsReadUnits = parts.Sum(p => p.AwsReadUnits), SentRequests = parts.SelectMany(p => p.SentRequests).ToList() };
    }

    /// <summary>
    /// Access pattern 4: a member's sales, from the local index <c>sale_reference-index</c>:
    /// <c>pk = USER#id AND begins_with(sale_reference, USER#id#SALE#)</c>.
    /// </summary>
    public Task<ReadResult> GetSalesOfMemberAsync(string memberId, CancellationToken cancellationToken = default) =>
        _reader.QueryAsync(Indexes.SaleReference, "pk = :pk AND begins_with(sale_reference, :reference)",
            new() { [":pk"] = Keys.User(memberId), [":reference"] = Keys.SaleReferencePrefix(memberId) }, cancellationToken);

    /// <summary>
    /// Access pattern 4 without the local index: the member's partition on the table itself,
    /// <c>pk = USER#id AND begins_with(sk, SALE#)</c>. It returns the same sales, in <c>sk</c> order.
    /// </summary>
    public Task<ReadResult> GetSalesOfMemberBySortKeyAsync(string memberId, CancellationToken cancellationToken = default) =>
        _reader.QueryAsync(null, "pk = :pk AND begins_with(sk, :sale)",
            new() { [":pk"] = Keys.User(memberId), [":sale"] = Keys.SalePrefix }, cancellationToken);

    /// <summary>
    /// A member's whole downline, level by level. Querying the index costs one request per member found (leaves
    /// included), at least half a read unit each; scanning costs the whole table, half a unit per 4 KB. So
    /// <see cref="DownlineStrategy.Auto"/> queries while the number of queries stays under the table's size in
    /// 4 KB blocks, and switches to one scan past that: a small branch is cheap to walk, a whole organisation
    /// cheaper to scan.
    /// </summary>
    /// <param name="memberId">The member at the top.</param>
    /// <param name="strategy">How to walk; see <see cref="DownlineStrategy"/>.</param>
    /// <param name="concurrency">Queries in flight at once when querying level by level.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    public async Task<Downline> GetWholeDownlineAsync(string memberId, DownlineStrategy strategy = DownlineStrategy.Auto, int concurrency = 8,
        CancellationToken cancellationToken = default)
    {
        var rootId = Keys.Id(memberId);
        if (concurrency < 1) throw new ArgumentOutOfRangeException(nameof(concurrency), concurrency, "At least one query must be allowed in flight.");
        switch (strategy)
        {
            case DownlineStrategy.ScanTable:
                return await DownlineWalker.ScanTableAsync(this, rootId, cancellationToken).ConfigureAwait(false);
            case DownlineStrategy.QueryLevels:
                return (await DownlineWalker.QueryLevelsAsync(this, rootId, concurrency, int.MaxValue, cancellationToken).ConfigureAwait(false))!;
            default:
                // On AWS, DescribeTable's size is refreshed only about every six hours (0 for a table just loaded), so it is
                // not used there: the walk queries up to 100 members (about 50 read units) before it scans.
                var budget = 100;
                if (!Endpoints.IsAws(_client))
                {
                    var table = await DescribeTableAsync(cancellationToken).ConfigureAwait(false);
                    budget = (int)Math.Max(100, Math.Min(int.MaxValue, table.SizeBytes / 4096));
                }
                return await DownlineWalker.QueryLevelsAsync(this, rootId, concurrency, budget, cancellationToken).ConfigureAwait(false)
                    ?? await DownlineWalker.ScanTableAsync(this, rootId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The whole organisation, members and sales, from one paged scan; see <see cref="Organisation"/>.</summary>
    /// <returns>The organisation and the scan that read it (for its cost).</returns>
    public async Task<(Organisation Organisation, ReadResult Scan)> ReadOrganisationAsync(CancellationToken cancellationToken = default)
    {
        var scan = await ScanAsync(cancellationToken).ConfigureAwait(false);
        return (new Organisation(scan.Members(), scan.Sales()), scan);
    }

    /// <summary>Access pattern 5: the member with an email, from <c>email-index</c>.</summary>
    public Task<ReadResult> FindMemberByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        _reader.QueryAsync(Indexes.Email, "email = :email",
            new() { [":email"] = Inputs.Email(email) }, cancellationToken);

    /// <summary>Access pattern 6: the member with a phone number, from <c>phone-index</c>.</summary>
    public Task<ReadResult> FindMemberByPhoneAsync(string phone, CancellationToken cancellationToken = default) =>
        _reader.QueryAsync(Indexes.Phone, "phone = :phone",
            new() { [":phone"] = Inputs.Phone(phone) }, cancellationToken);

    /// <summary>Every item of the table, page after page (the exercise's scan stops after the first 1 MB).</summary>
    public Task<ReadResult> ScanAsync(CancellationToken cancellationToken = default) => _reader.ScanAsync(null, cancellationToken);

    /// <summary>
    /// Runs a PartiQL SELECT, with <c>?</c> placeholders filled from <paramref name="values"/> (strings), page after page.
    /// </summary>
    /// <param name="statement">For example <c>SELECT * FROM "mlm"."email-index" WHERE email = ?</c>.</param>
    /// <param name="values">The placeholder values, in order; never concatenated into the statement.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public Task<ReadResult> ExecutePartiQlAsync(string statement, IReadOnlyList<string> values, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(statement)) throw new ArgumentException("A PartiQL statement is required.", nameof(statement));
        return _reader.ExecutePartiQlAsync(statement, values ?? [], cancellationToken);
    }
}
