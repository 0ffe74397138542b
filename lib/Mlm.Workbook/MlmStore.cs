using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// The exercise's table behind its access patterns: one method per pattern, named for what it finds.
/// Every read pages through <c>LastEvaluatedKey</c> and reports the capacity it consumed; writes go
/// in BatchWriteItem requests of 25 and retry unprocessed items.
/// </summary>
public sealed class MlmStore
{
    /// <summary>The most items one BatchWriteItem request may carry.</summary>
    public const int BatchSize = 25;

    /// <summary>BatchWriteItem requests in flight at once when writing; see <see cref="WriteAsync"/>.</summary>
    public const int DefaultConcurrency = 4;

    private const int MaxBatchAttempts = 10;
    private readonly IAmazonDynamoDB _client;

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
    }

    /// <summary>Whether deleting or resetting the table needs its name as confirmation.</summary>
    public bool ConfirmDeletes { get; }

    /// <summary>The table this store reads and writes.</summary>
    public string TableName { get; }

    /// <summary>The client this store uses.</summary>
    public IAmazonDynamoDB Client => _client;

    /// <summary>Creates the table if it is missing (see <see cref="TableDefinition.CreateAsync"/>).</summary>
    public Task<bool> CreateTableAsync(CancellationToken cancellationToken = default) =>
        TableDefinition.CreateAsync(_client, TableName, cancellationToken: cancellationToken);

    /// <summary>Deletes the table if it exists.</summary>
    /// <param name="confirmTableName">The table's name again; required when <see cref="ConfirmDeletes"/> is set (real AWS).</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>True when a table was deleted.</returns>
    /// <exception cref="InvalidOperationException">Confirmation was needed and not given.</exception>
    public Task<bool> DeleteTableAsync(string? confirmTableName = null, CancellationToken cancellationToken = default)
    {
        RequireConfirmation(confirmTableName, "delete");
        return TableDefinition.DeleteAsync(_client, TableName, cancellationToken: cancellationToken);
    }

    private void RequireConfirmation(string? confirmTableName, string action)
    {
        if (ConfirmDeletes && confirmTableName != TableName)
            throw new InvalidOperationException(
                $"\"{TableName}\" is a table on AWS; to {action} it, pass its name as confirmation (confirmTableName: \"{TableName}\").");
    }

    /// <summary>The console's Overview and Indexes tabs, as data.</summary>
    public Task<TableOverview> DescribeTableAsync(CancellationToken cancellationToken = default) =>
        TableOverview.ReadAsync(_client, TableName, cancellationToken);

    /// <summary>
    /// Writes every member and sale of a data set. Seeding is idempotent: the same data written again leaves
    /// exactly the same items, and a seed cut off half way is completed by running it again. A table holding
    /// items that are not part of the data is refused unless <paramref name="existing"/> says what to do.
    /// </summary>
    /// <param name="data">The members and sales.</param>
    /// <param name="existing">What to do with items that are not part of the data.</param>
    /// <param name="progress">Told the running total of items written.</param>
    /// <param name="confirmTableName">For <see cref="ExistingItems.Reset"/> on AWS: the table's name again.</param>
    /// <param name="dateShards">Write shards per sale date (1, the exercise's way, for none); see <see cref="Sale.ToItem"/>.</param>
    /// <param name="cancellationToken">Stops between requests.</param>
    /// <returns>How many items were written.</returns>
    /// <exception cref="InvalidOperationException">The table holds other items and <paramref name="existing"/> is <see cref="ExistingItems.Refuse"/>.</exception>
    public Task<int> SeedAsync(SeedData data, ExistingItems existing = ExistingItems.Refuse, IProgress<int>? progress = null,
        string? confirmTableName = null, int dateShards = 1, CancellationToken cancellationToken = default)
    {
        if (data is null) throw new ArgumentNullException(nameof(data));
        return SeedItemsAsync(() => data.Items(dateShards), existing, progress, confirmTableName, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="SeedAsync(SeedData, ExistingItems, IProgress{int}, string, int, CancellationToken)"/>, for the data set
    /// these options generate, generated as it is written: memory stays flat however large the data set.
    /// </summary>
    public Task<int> SeedAsync(FakeDataOptions options, ExistingItems existing = ExistingItems.Refuse, IProgress<int>? progress = null,
        string? confirmTableName = null, int dateShards = 1, CancellationToken cancellationToken = default)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        return SeedItemsAsync(() => FakeData.Items(options, dateShards), existing, progress, confirmTableName, cancellationToken);
    }

    // Items is called once to write and, when the table already holds items, once before that to list the keys to expect.
    private async Task<int> SeedItemsAsync(Func<IEnumerable<Dictionary<string, AttributeValue>>> items, ExistingItems existing, IProgress<int>? progress,
        string? confirmTableName, CancellationToken cancellationToken)
    {
        switch (existing)
        {
            case ExistingItems.Reset:
                RequireConfirmation(confirmTableName, "reset");
                await TableDefinition.DeleteAsync(_client, TableName, cancellationToken: cancellationToken).ConfigureAwait(false);
                await TableDefinition.CreateAsync(_client, TableName, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case ExistingItems.Refuse:
                var present = await KeysAsync(cancellationToken).ConfigureAwait(false);
                if (present.Count == 0) break;
                var expected = items().Select(ItemKey).ToHashSet(StringComparer.Ordinal);
                var others = present.Where(key => !expected.Contains(key)).ToList();
                if (others.Count > 0)
                    throw new InvalidOperationException(
                        $"Table \"{TableName}\" holds {others.Count} items that are not part of this data set (such as {others[0]}). " +
                        "Seed with ExistingItems.Reset (--existing reset) to start from an empty table, or ExistingItems.Keep (--existing keep) to add to them.");
                break;
        }
        return await WriteAsync(items(), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <c>pk|sk</c> of every item in the table, read with a keys-only scan.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(CancellationToken cancellationToken = default) =>
        (await ScanAsync("pk, sk", cancellationToken).ConfigureAwait(false)).Items.Select(ItemKey).ToList();

    private static string ItemKey(Dictionary<string, AttributeValue> item) => $"{item[Keys.PartitionKey].S}|{item[Keys.SortKey].S}";

    /// <summary>Every DynamoDB call goes through here: retried where that helps, translated where the cause is known.</summary>
    private Task<T> Call<T>(Func<Task<T>> call, CancellationToken cancellationToken) =>
        Resilience.CallAsync(_client, TableName, call, cancellationToken);

    /// <summary>
    /// Puts items in BatchWriteItem requests of 25, several requests at a time. Items DynamoDB leaves unprocessed
    /// are sent again after an exponential, jittered delay; throttling, server errors and dropped connections are
    /// retried the same way. The items are read lazily, a batch at a time, so memory stays flat however many there are.
    /// </summary>
    /// <param name="items">Items to put, read once.</param>
    /// <param name="progress">Told the running total of items written, in increasing order, after each request.</param>
    /// <param name="cancellationToken">Stops between requests.</param>
    /// <param name="concurrency">How many requests may be in flight at once; 1 writes strictly in order.</param>
    /// <returns>How many items were written.</returns>
    public async Task<int> WriteAsync(IEnumerable<Dictionary<string, AttributeValue>> items, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default, int concurrency = DefaultConcurrency)
    {
        if (items is null) throw new ArgumentNullException(nameof(items));
        if (concurrency < 1) throw new ArgumentOutOfRangeException(nameof(concurrency), concurrency, "At least one request must be allowed in flight.");
        var written = 0;
        var gate = new object();
        await Parallel.ForEachAsync(Chunk(items, BatchSize), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                await WriteBatchAsync(batch, token).ConfigureAwait(false);
                lock (gate)
                {
                    written += batch.Count;
                    progress?.Report(written);
                }
            }).ConfigureAwait(false);
        return written;
    }

    private async Task WriteBatchAsync(List<WriteRequest> batch, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<string, List<WriteRequest>> { [TableName] = batch };
        for (var attempt = 1; ; attempt++)
        {
            var response = await Call(() => _client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (response.UnprocessedItems is not { Count: > 0 } unprocessed || unprocessed.Values.All(list => list.Count == 0))
                return;
            if (attempt == MaxBatchAttempts)
                throw new AmazonDynamoDBException(
                    $"{unprocessed.Values.Sum(list => list.Count)} items were still unprocessed after {MaxBatchAttempts} BatchWriteItem attempts; the table may be overloaded.");
            pending = unprocessed;
            await Task.Delay(Backoff.Delay(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private static IEnumerable<List<WriteRequest>> Chunk(IEnumerable<Dictionary<string, AttributeValue>> items, int size)
    {
        var chunk = new List<WriteRequest>(size);
        foreach (var item in items)
        {
            chunk.Add(new WriteRequest { PutRequest = new PutRequest { Item = item } });
            if (chunk.Count == size)
            {
                yield return chunk;
                chunk = new List<WriteRequest>(size);
            }
        }
        if (chunk.Count > 0) yield return chunk;
    }

    /// <summary>
    /// Adds a member in one transaction: the profile, and a marker item for its email and for its phone, each
    /// written only if no such item exists, and only if the recruiter exists. A taken id, email or phone is
    /// refused with <see cref="DuplicateValueException"/> naming the field, and then nothing is written.
    /// </summary>
    /// <exception cref="ArgumentException">A value is malformed, or the member recruits itself, or a non-root member has no recruiter.</exception>
    /// <exception cref="DuplicateValueException">The id, email or phone is taken.</exception>
    /// <exception cref="InvalidOperationException">The recruiter does not exist.</exception>
    public async Task RegisterMemberAsync(Member member, CancellationToken cancellationToken = default)
    {
        member = Validated(member);
        await EnsureNotHeldByAnotherAsync(member.Id, member.Email, member.Phone, cancellationToken).ConfigureAwait(false);
        var profile = member.ToItem();
        var writes = new List<(TransactWriteItem Write, Func<Exception> Refusal)>
        {
            (PutIfAbsent(profile), () => new DuplicateValueException("id", member.Id)),
            (PutIfAbsent(Marker(Keys.EmailMarker(member.Email), member.Id)), () => new DuplicateValueException("email", member.Email)),
            (PutIfAbsent(Marker(Keys.PhoneMarker(member.Phone), member.Id)), () => new DuplicateValueException("phone", member.Phone)),
        };
        if (member.RecruitedBy is { } recruiter)
            writes.Add((new TransactWriteItem
            {
                ConditionCheck = new ConditionCheck
                {
                    TableName = TableName,
                    Key = ProfileKey(recruiter),
                    ConditionExpression = "attribute_exists(pk)",
                },
            }, () => new InvalidOperationException($"The recruiter {Keys.User(recruiter)} does not exist; register the recruiter first.")));
        await TransactAsync(writes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes a member's email and/or phone in one transaction: the profile is updated only if it still holds the
    /// old values, the old markers are deleted and the new ones written only if free.
    /// </summary>
    /// <exception cref="DuplicateValueException">The new email or phone is taken; nothing changed.</exception>
    /// <exception cref="InvalidOperationException">The member does not exist, or changed meanwhile.</exception>
    public async Task ChangeContactAsync(string memberId, string? newEmail = null, string? newPhone = null, CancellationToken cancellationToken = default)
    {
        var current = await ReadProfileAsync(memberId, cancellationToken).ConfigureAwait(false);
        var email = newEmail is null ? current.Email : Inputs.Email(newEmail);
        var phone = newPhone is null ? current.Phone : Inputs.Phone(newPhone);
        await EnsureNotHeldByAnotherAsync(current.Id, email, phone, cancellationToken).ConfigureAwait(false);
        var writes = new List<(TransactWriteItem Write, Func<Exception> Refusal)>
        {
            (new TransactWriteItem
            {
                Update = new Update
                {
                    TableName = TableName,
                    Key = ProfileKey(current.Id),
                    UpdateExpression = "SET email = :email, phone = :phone",
                    ConditionExpression = "email = :oldEmail AND phone = :oldPhone",
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                    {
                        [":email"] = ItemValues.S(email), [":phone"] = ItemValues.S(phone),
                        [":oldEmail"] = ItemValues.S(current.Email), [":oldPhone"] = ItemValues.S(current.Phone),
                    },
                },
            }, () => new InvalidOperationException($"Member {Keys.User(current.Id)} changed while this change was made; read it again and retry.")),
        };
        if (Keys.EmailMarker(email) != Keys.EmailMarker(current.Email))
        {
            writes.Add((DeleteMarker(Keys.EmailMarker(current.Email), current.Id), () => new InvalidOperationException($"The marker of {current.Email} is missing.")));
            writes.Add((PutIfAbsent(Marker(Keys.EmailMarker(email), current.Id)), () => new DuplicateValueException("email", email)));
        }
        if (Keys.PhoneMarker(phone) != Keys.PhoneMarker(current.Phone))
        {
            writes.Add((DeleteMarker(Keys.PhoneMarker(current.Phone), current.Id), () => new InvalidOperationException($"The marker of {current.Phone} is missing.")));
            writes.Add((PutIfAbsent(Marker(Keys.PhoneMarker(phone), current.Id)), () => new DuplicateValueException("phone", phone)));
        }
        if (writes.Count == 1 && email == current.Email && phone == current.Phone) return;
        await TransactAsync(writes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a member who recruited nobody: the profile and its two markers, in one transaction.</summary>
    /// <exception cref="InvalidOperationException">The member does not exist or has recruits.</exception>
    public async Task RemoveMemberAsync(string memberId, CancellationToken cancellationToken = default)
    {
        var current = await ReadProfileAsync(memberId, cancellationToken).ConfigureAwait(false);
        if ((await GetDownlineAsync(current.Id, cancellationToken).ConfigureAwait(false)).Count > 0)
            throw new InvalidOperationException($"Member {Keys.User(current.Id)} has recruits; removing it would break the tree.");
        var writes = new List<(TransactWriteItem Write, Func<Exception> Refusal)>
        {
            (new TransactWriteItem
            {
                Delete = new Delete
                {
                    TableName = TableName, Key = ProfileKey(current.Id),
                    ConditionExpression = "email = :email",
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":email"] = ItemValues.S(current.Email) },
                },
            }, () => new InvalidOperationException($"Member {Keys.User(current.Id)} changed while it was being removed.")),
            (DeleteMarker(Keys.EmailMarker(current.Email), current.Id), () => new InvalidOperationException($"The marker of {current.Email} is missing.")),
            (DeleteMarker(Keys.PhoneMarker(current.Phone), current.Id), () => new InvalidOperationException($"The marker of {current.Phone} is missing.")),
        };
        await TransactAsync(writes, cancellationToken).ConfigureAwait(false);
    }

    // Seeded members have no markers, so their values are looked up in the lookup indexes first;
    // the markers written in the transaction then guard against two changes racing each other.
    private async Task EnsureNotHeldByAnotherAsync(string memberId, string email, string phone, CancellationToken cancellationToken)
    {
        if ((await FindMemberByEmailAsync(email, cancellationToken).ConfigureAwait(false)).Members().Any(m => m.Id != memberId))
            throw new DuplicateValueException("email", email);
        if ((await FindMemberByPhoneAsync(phone, cancellationToken).ConfigureAwait(false)).Members().Any(m => m.Id != memberId))
            throw new DuplicateValueException("phone", phone);
    }

    private async Task<Member> ReadProfileAsync(string memberId, CancellationToken cancellationToken)
    {
        var key = ProfileKey(memberId);
        var response = await Call(() => _client.GetItemAsync(new GetItemRequest { TableName = TableName, Key = key, ConsistentRead = true }, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        return response.Item is { Count: > 0 } item
            ? Member.FromItem(item)
            : throw new InvalidOperationException($"There is no member {Keys.User(memberId)}.");
    }

    // The token makes a retried transaction (say, after a dropped connection) a no-op instead of a conflict with itself.
    private async Task TransactAsync(List<(TransactWriteItem Write, Func<Exception> Refusal)> writes, CancellationToken cancellationToken)
    {
        var request = new TransactWriteItemsRequest
        {
            TransactItems = writes.Select(w => w.Write).ToList(),
            ClientRequestToken = Guid.NewGuid().ToString("N"),
        };
        try
        {
            await Call(() => _client.TransactWriteItemsAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (TransactionCanceledException e) when (e.CancellationReasons is { Count: > 0 } reasons)
        {
            var failed = reasons.FindIndex(r => r.Code == "ConditionalCheckFailed");
            if (failed >= 0 && failed < writes.Count) throw writes[failed].Refusal();
            throw;
        }
    }

    private TransactWriteItem PutIfAbsent(Dictionary<string, AttributeValue> item) => new()
    {
        Put = new Put { TableName = TableName, Item = item, ConditionExpression = "attribute_not_exists(pk)" },
    };

    private TransactWriteItem DeleteMarker(string markerKey, string memberId) => new()
    {
        Delete = new Delete
        {
            TableName = TableName,
            Key = new Dictionary<string, AttributeValue> { [Keys.PartitionKey] = ItemValues.S(markerKey), [Keys.SortKey] = ItemValues.S(Keys.Unique) },
            ConditionExpression = "member_key = :member",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":member"] = ItemValues.S(Keys.User(memberId)) },
        },
    };

    // A marker holds no email or phone attribute, so it stays out of email-index and phone-index.
    private static Dictionary<string, AttributeValue> Marker(string markerKey, string memberId) => new()
    {
        [Keys.PartitionKey] = ItemValues.S(markerKey),
        [Keys.SortKey] = ItemValues.S(Keys.Unique),
        ["member_key"] = ItemValues.S(Keys.User(memberId)),
    };

    private static Dictionary<string, AttributeValue> ProfileKey(string memberId) => new()
    {
        [Keys.PartitionKey] = ItemValues.S(Keys.User(memberId)),
        [Keys.SortKey] = ItemValues.S(Keys.Profile),
    };

    private static Member Validated(Member member)
    {
        if (member is null) throw new ArgumentNullException(nameof(member));
        var id = Keys.Id(member.Id);
        var recruiter = member.RecruitedBy is null ? null : Keys.Id(member.RecruitedBy);
        if (recruiter == id) throw new ArgumentException($"Member {Keys.User(id)} cannot recruit itself.", nameof(member));
        if (recruiter is null && id != Keys.Id(1))
            throw new ArgumentException($"Only the root, member 001, has no recruiter; give {Keys.User(id)} one.", nameof(member));
        if (!DateTime.TryParse(member.CreatedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out _))
            throw new ArgumentException($"created_at \"{Keys.Shorten(member.CreatedAt ?? "")}\" is not an ISO 8601 time.", nameof(member));
        return member with
        {
            Id = id,
            RecruitedBy = recruiter,
            Name = Inputs.Text(member.Name, "name"),
            Email = Inputs.Email(member.Email),
            Phone = Inputs.Phone(member.Phone),
            Address = Inputs.Text(member.Address, "address"),
        };
    }

    /// <summary>Access pattern 1, the direct way: GetItem on <c>pk=USER#id</c>, <c>sk=PROFILE</c>.</summary>
    /// <param name="memberId">The member id: <c>"4"</c> or <c>"004"</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ReadResult> GetMemberAsync(string memberId, CancellationToken cancellationToken = default)
    {
        var key = ProfileKey(memberId);
        var request = new ReadRequest("GetItem", TableName, null, "pk = :pk AND sk = :sk",
            new Dictionary<string, string> { [":pk"] = key[Keys.PartitionKey].S, [":sk"] = Keys.Profile });
        var response = await Call(() => _client.GetItemAsync(new GetItemRequest
        {
            TableName = TableName,
            Key = key,
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        }, cancellationToken), cancellationToken).ConfigureAwait(false);
        var found = response.Item is { Count: > 0 };
        return new ReadResult(request, found ? [response.Item!] : [], 1, found ? 1 : 0, response.ConsumedCapacity?.CapacityUnits ?? 0)
            { AwsReadUnits = Capacity.CapacityRules.GetItemUnits(found ? response.Item : null) };
    }

    /// <summary>Access pattern 1 as the exercise writes it: a Query with <c>pk = USER#id AND sk = PROFILE</c>.</summary>
    public Task<ReadResult> QueryMemberAsync(string memberId, CancellationToken cancellationToken = default) =>
        QueryAsync(null, "pk = :pk AND sk = :sk",
            new() { [":pk"] = Keys.User(memberId), [":sk"] = Keys.Profile }, cancellationToken);

    /// <summary>Access pattern 2: the members a member recruited directly, from <c>recruited_by-index</c>.</summary>
    public Task<ReadResult> GetDownlineAsync(string memberId, CancellationToken cancellationToken = default) =>
        QueryAsync(Indexes.RecruitedBy, "recruited_by = :recruiter",
            new() { [":recruiter"] = Keys.User(memberId) }, cancellationToken);

    /// <summary>
    /// Access pattern 3: the sales of one day, from <c>sale_date-sale_reference-index</c>,
    /// optionally narrowed to one member's sales with <c>begins_with</c> on the sale reference.
    /// </summary>
    public Task<ReadResult> GetSalesOnDateAsync(DateOnly date, string? memberId = null, CancellationToken cancellationToken = default) =>
        memberId is null
            ? QueryAsync(Indexes.SaleDate, "sale_date = :date",
                new() { [":date"] = Keys.Date(date) }, cancellationToken)
            : QueryAsync(Indexes.SaleDate, "sale_date = :date AND begins_with(sale_reference, :reference)",
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
            QueryAsync(Indexes.SaleDate, "sale_date = :date", new() { [":date"] = Keys.ShardedDate(date, shard) }, cancellationToken))).ConfigureAwait(false);
        var items = parts.SelectMany(p => p.Items)
            .OrderBy(item => item[Attributes.SaleReference].S, StringComparer.Ordinal).ToList();
        var request = new ReadRequest($"Query × {shards}", TableName, Indexes.SaleDate, "sale_date = :date",
            new Dictionary<string, string> { [":date"] = $"{Keys.ShardedDate(date, 0)} … {Keys.ShardedDate(date, shards - 1)}" });
        return new ReadResult(request, items, parts.Sum(p => p.Pages), parts.Sum(p => p.ScannedCount), parts.Sum(p => p.CapacityUnits))
            { AwsReadUnits = parts.Sum(p => p.AwsReadUnits) };
    }

    /// <summary>
    /// Access pattern 4: a member's sales, from the local index <c>sale_reference-index</c>:
    /// <c>pk = USER#id AND begins_with(sale_reference, USER#id#SALE#)</c>.
    /// </summary>
    public Task<ReadResult> GetSalesOfMemberAsync(string memberId, CancellationToken cancellationToken = default) =>
        QueryAsync(Indexes.SaleReference, "pk = :pk AND begins_with(sale_reference, :reference)",
            new() { [":pk"] = Keys.User(memberId), [":reference"] = Keys.SaleReferencePrefix(memberId) }, cancellationToken);

    /// <summary>
    /// Access pattern 4 without the local index: the member's partition on the table itself,
    /// <c>pk = USER#id AND begins_with(sk, SALE#)</c>. It returns the same sales, in <c>sk</c> order.
    /// </summary>
    public Task<ReadResult> GetSalesOfMemberBySortKeyAsync(string memberId, CancellationToken cancellationToken = default) =>
        QueryAsync(null, "pk = :pk AND begins_with(sk, :sale)",
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
                var table = await DescribeTableAsync(cancellationToken).ConfigureAwait(false);
                var budget = (int)Math.Max(100, Math.Min(int.MaxValue, table.SizeBytes / 4096));
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
        QueryAsync(Indexes.Email, "email = :email",
            new() { [":email"] = Inputs.Email(email) }, cancellationToken);

    /// <summary>Access pattern 6: the member with a phone number, from <c>phone-index</c>.</summary>
    public Task<ReadResult> FindMemberByPhoneAsync(string phone, CancellationToken cancellationToken = default) =>
        QueryAsync(Indexes.Phone, "phone = :phone",
            new() { [":phone"] = Inputs.Phone(phone) }, cancellationToken);

    /// <summary>Every item of the table, page after page (the exercise's scan stops after the first 1 MB).</summary>
    public Task<ReadResult> ScanAsync(CancellationToken cancellationToken = default) => ScanAsync(null, cancellationToken);

    private Task<ReadResult> ScanAsync(string? projection, CancellationToken cancellationToken) =>
        ReadAllPagesAsync<Dictionary<string, AttributeValue>>(new ReadRequest("Scan", TableName, null, null, new Dictionary<string, string>()), async startKey =>
        {
            var response = await Call(() => _client.ScanAsync(new ScanRequest
            {
                TableName = TableName,
                ProjectionExpression = projection,
                ExclusiveStartKey = startKey,
                ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            }, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new Page<Dictionary<string, AttributeValue>>(response.Items, response.ScannedCount, response.ConsumedCapacity,
                response.LastEvaluatedKey is { Count: > 0 } next ? next : null);
        });

    /// <summary>
    /// Runs a PartiQL SELECT, with <c>?</c> placeholders filled from <paramref name="values"/> (strings), page after page.
    /// </summary>
    /// <param name="statement">For example <c>SELECT * FROM "mlm"."email-index" WHERE email = ?</c>.</param>
    /// <param name="values">The placeholder values, in order; never concatenated into the statement.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public Task<ReadResult> ExecutePartiQlAsync(string statement, IReadOnlyList<string> values, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(statement)) throw new ArgumentException("A PartiQL statement is required.", nameof(statement));
        var request = new ReadRequest("ExecuteStatement", TableName, null, statement,
            values.Select((value, index) => (value, index)).ToDictionary(v => $"?{v.index + 1}", v => v.value));
        return ReadAllPagesAsync<string>(request, async nextToken =>
        {
            var response = await Call(() => _client.ExecuteStatementAsync(new ExecuteStatementRequest
            {
                Statement = statement,
                Parameters = values.Select(ItemValues.S).ToList(),
                NextToken = nextToken,
                ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            }, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new Page<string>(response.Items, null, response.ConsumedCapacity, string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken);
        });
    }

    private Task<ReadResult> QueryAsync(string? indexName, string keyCondition, Dictionary<string, string> values, CancellationToken cancellationToken) =>
        ReadAllPagesAsync<Dictionary<string, AttributeValue>>(new ReadRequest("Query", TableName, indexName, keyCondition, values), async startKey =>
        {
            var response = await Call(() => _client.QueryAsync(new QueryRequest
            {
                TableName = TableName,
                IndexName = indexName,
                KeyConditionExpression = keyCondition,
                ExpressionAttributeValues = values.ToDictionary(v => v.Key, v => ItemValues.S(v.Value)),
                ExclusiveStartKey = startKey,
                ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            }, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new Page<Dictionary<string, AttributeValue>>(response.Items, response.ScannedCount, response.ConsumedCapacity,
                response.LastEvaluatedKey is { Count: > 0 } next ? next : null);
        });

    /// <summary>One page of a read, and where the next one starts (null when this was the last).</summary>
    private readonly record struct Page<TNext>(
        List<Dictionary<string, AttributeValue>>? Items, int? ScannedCount, ConsumedCapacity? Capacity, TNext? Next) where TNext : class;

    /// <summary>Reads page after page, passing each page's continuation to the next request, until there is none.</summary>
    private static async Task<ReadResult> ReadAllPagesAsync<TNext>(ReadRequest request, Func<TNext?, Task<Page<TNext>>> readPage) where TNext : class
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        var pages = 0;
        var scanned = 0;
        var capacity = 0.0;
        var awsUnits = 0.0;
        TNext? next = null;
        do
        {
            var page = await readPage(next).ConfigureAwait(false);
            pages++;
            items.AddRange(page.Items ?? []);
            scanned += page.ScannedCount ?? page.Items?.Count ?? 0;
            capacity += page.Capacity?.CapacityUnits ?? 0;
            awsUnits += Capacity.CapacityRules.ReadUnits(page.Items); // reads here have no filter: the items returned are the items read
            next = page.Next;
        } while (next is not null);
        return new ReadResult(request, items, pages, scanned, capacity) { AwsReadUnits = awsUnits };
    }

}

/// <summary>What seeding does with items already in the table that are not part of the data set.</summary>
public enum ExistingItems
{
    /// <summary>Refuse to seed, naming the first such item (the default: never a silent mix).</summary>
    Refuse,
    /// <summary>Delete and re-create the table first, so it holds exactly the data set.</summary>
    Reset,
    /// <summary>Keep them and add the data set.</summary>
    Keep,
}
