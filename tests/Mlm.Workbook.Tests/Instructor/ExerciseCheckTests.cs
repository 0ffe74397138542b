using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DocumentModel;
using Amazon.DynamoDBv2.Model;
using Mlm.Workbook.Presentation;

namespace Mlm.Workbook.Tests;

/// <summary>
/// The exercise checks judge the requests an answer sent, recorded below every route to DynamoDB: right answers pass by
/// the library's helpers, raw SDK requests, the document model and PartiQL; scans, filters that pay for what they drop,
/// too many reads, forged results and wrong writes fail, each with a hint that names what was sent. This file holds
/// answers, so the student edition leaves it out.
/// </summary>
public sealed class ExerciseCheckTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateOnly Feb04 = new(2025, 2, 4);

    /// <summary>Begins an exercise, runs an answer on the store it gives, and checks it.</summary>
    private static async Task<ExerciseResult> AnswerAsync(MlmStore store, string id, Func<MlmStore, Task<object?>> answer)
    {
        var work = await Exercise.BeginAsync(store, id, Cancel);
        return await Exercise.CheckAsync(store, id, await answer(work), Cancel);
    }

    private static void Passes(ExerciseResult result) => Assert.True(result.Passed, result.Message);

    private static void Fails(ExerciseResult result, params string[] hints)
    {
        Assert.Equal(ExerciseStatus.Failed, result.Status);
        foreach (var hint in hints) Assert.Contains(hint, result.Message);
    }

    private static AttributeValue S(string value) => new() { S = value };

    private static Task<ExecuteStatementResponse> StatementAsync(MlmStore store, string statement, params string[] values) =>
        store.Client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = statement, Parameters = values.Select(S).ToList() }, Cancel);

    private static Task<QueryResponse> QueryAsync(MlmStore store, string? index, string condition, Dictionary<string, AttributeValue> values, string? filter = null, int? limit = null,
        Dictionary<string, AttributeValue>? startKey = null, bool consistent = false) =>
        store.Client.QueryAsync(new QueryRequest
        {
            TableName = store.TableName, IndexName = index, KeyConditionExpression = condition, ExpressionAttributeValues = values,
            FilterExpression = filter, Limit = limit, ExclusiveStartKey = startKey, ConsistentRead = consistent,
        }, Cancel);

    [Fact]
    public async Task Right_answers_pass_by_helpers_raw_requests_the_document_model_and_PartiQL()
    {
        var (store, data) = await dynamo.SeededTableAsync("exercises");
        var recruiter = data.Members.Single(m => m.Id == "030").RecruitedBy!;

        Passes(await AnswerAsync(store, "03-1", async s =>
        {
            var member = (await s.GetMemberAsync("030", Cancel)).Members().Single();
            return await s.GetMemberAsync(member.RecruitedBy!, Cancel);
        }));
        Passes(await AnswerAsync(store, "03-1", async s =>
        {
            await s.Client.GetItemAsync(s.TableName, Keys.ProfileKey("030"), Cancel);
            var response = await s.Client.GetItemAsync(s.TableName, Keys.ProfileKey(recruiter), Cancel);
            return response;
        }));
        Passes(await AnswerAsync(store, "03-1", async s =>
            await StatementAsync(s, $"SELECT * FROM \"{s.TableName}\" WHERE pk = ? AND sk = ?", Keys.User(recruiter), Keys.Profile)));

        var byDocuments = await AnswerAsync(store, "07-1", async s =>
        {
            var table = new TableBuilder(s.Client, s.TableName).AddHashKey(Keys.PartitionKey, DynamoDBEntryType.String).AddRangeKey(Keys.SortKey, DynamoDBEntryType.String)
                .AddGlobalSecondaryIndex(Indexes.Email, Attributes.Email, DynamoDBEntryType.String).Build();
            var search = table.Query(new QueryOperationConfig
            {
                IndexName = Indexes.Email,
                KeyExpression = new Expression { ExpressionStatement = "email = :email", ExpressionAttributeValues = { [":email"] = "emil_skiles62@example.com" } },
            });
            return await search.GetNextSetAsync(Cancel);
        });
        Passes(byDocuments);

        Passes(await AnswerAsync(store, "05-1", async s =>
        {
            var pages = new List<QueryResponse>();
            foreach (var day in new[] { Feb04, Feb04.AddDays(1) })
                pages.Add(await QueryAsync(s, Indexes.SaleDate, "sale_date = :d", new() { [":d"] = S(Keys.Date(day)) }));
            return pages;
        }));
        Passes(await AnswerAsync(store, "11-1", async s => await QueryAsync(s, Indexes.SaleDate, "sale_date = :d AND sale_reference BETWEEN :a AND :b",
            new() { [":d"] = S(Keys.Date(Feb04)), [":a"] = S("USER#001#"), [":b"] = S("USER#003#~") })));
        Passes(await AnswerAsync(store, "11-1", async s => await s.ExecutePartiQlAsync(
            $"SELECT * FROM \"{s.TableName}\".\"{Indexes.SaleDate}\" WHERE sale_date = ? AND sale_reference < ?", [Keys.Date(Feb04), "USER#004"], Cancel)));
        Passes(await AnswerAsync(store, "06-1", async s => await QueryAsync(s, Indexes.SaleReference, "pk = :u AND begins_with(sale_reference, :r)",
            new() { [":u"] = S(Keys.User("005")), [":r"] = S(Keys.SaleReferencePrefix("005")), [":feb"] = S("DATE#202502") }, filter: "begins_with(sale_date, :feb)")));
        // The key condition may come anywhere in the WHERE clause.
        Passes(await AnswerAsync(store, "11-1", async s => await StatementAsync(s,
            $"SELECT * FROM \"{s.TableName}\".\"{Indexes.SaleDate}\" WHERE sale_reference BETWEEN ? AND ? AND sale_date = ?", "USER#001#", "USER#003#~", Keys.Date(Feb04))));
        Passes(await AnswerAsync(store, "03-2", async s => await QueryAsync(s, null, "pk = :u", new() { [":u"] = S(Keys.User("004")) })));
    }

    [Fact]
    public async Task Scans_fail_whatever_they_are_called()
    {
        var (store, _) = await dynamo.SeededTableAsync("exercises");
        const string email = "emil_skiles62@example.com";

        Fails(await AnswerAsync(store, "07-1", async s => (await s.ScanAsync(Cancel)).Items.Where(i => i.TryGetValue("email", out var e) && e.S == email).ToList()),
            "a Scan reads every item");
        Fails(await AnswerAsync(store, "07-1", async s => await StatementAsync(s, $"SELECT * FROM \"{s.TableName}\".\"{Indexes.Email}\" WHERE begins_with(email, ?)", email)),
            "no equality on the partition key", "(email)");
        Fails(await AnswerAsync(store, "07-1", async s => await StatementAsync(s, $"SELECT * FROM \"{s.TableName}\" WHERE contains(email, ?)", email)),
            "no equality on the partition key");
        Fails(await AnswerAsync(store, "11-1", async s => await StatementAsync(s,
            $"SELECT * FROM \"{s.TableName}\".\"{Indexes.SaleDate}\" WHERE sale_reference BETWEEN ? AND ?", "USER#001#", "USER#003#~")),
            "no equality on the partition key", "(sale_date)");
        Fails(await AnswerAsync(store, "03-1", async s => await StatementAsync(s, $"SELECT * FROM \"{s.TableName}\" WHERE begins_with(pk, ?) AND sk = ?", "USER#00", Keys.Profile)),
            "no equality on the partition key");
    }

    [Fact]
    public async Task Exercise_11_1_judges_the_bound_the_filter_and_the_number_of_reads_not_the_items_alone()
    {
        var (store, _) = await dynamo.SeededTableAsync("exercises");

        Fails(await AnswerAsync(store, "11-1", async s =>
        {
            var reads = new List<ReadResult>();
            foreach (var member in new[] { "001", "002", "003" }) reads.Add(await s.GetSalesOnDateAsync(Feb04, member, Cancel));
            return reads;
        }), "in 3 reads");
        Fails(await AnswerAsync(store, "11-1", async s => await StatementAsync(s,
            $"SELECT * FROM \"{s.TableName}\".\"{Indexes.SaleDate}\" WHERE sale_date = ? AND pk IN [?, ?, ?]", Keys.Date(Feb04), "USER#001", "USER#002", "USER#003")),
            "pk IN ['USER#001', 'USER#002', 'USER#003'] is applied after reading", "dropped 1");
        // The data holds no sale of 003 that day, so the items are right; the bound is not.
        Fails(await AnswerAsync(store, "11-1", async s => await StatementAsync(s,
            $"SELECT * FROM \"{s.TableName}\".\"{Indexes.SaleDate}\" WHERE sale_date = ? AND sale_reference BETWEEN ? AND ?", Keys.Date(Feb04), "USER#001", "USER#003")),
            "BETWEEN 'USER#001' AND 'USER#003' leaves out the sale 'USER#003#SALE#001'");
        Fails(await AnswerAsync(store, "11-1", async s =>
        {
            var reads = new List<ReadResult>();
            foreach (var member in new[] { "001", "002", "003" }) reads.Add(await s.GetSalesOnDateAsync(Feb04, member, Cancel));
            return reads[0] with { Items = reads.SelectMany(r => r.Items).ToList(), Pages = 1 };
        }), "in 3 reads");
    }

    [Fact]
    public async Task Forged_results_fail()
    {
        var (store, data) = await dynamo.SeededTableAsync("exercises");
        var recruiter = data.Members.Single(m => m.Id == "030").RecruitedBy!;
        var recruiterItem = data.Members.Single(m => m.Id == recruiter).ToItem();
        var request = new ReadRequest("GetItem", store.TableName, null, "pk = :pk AND sk = :sk", new Dictionary<string, string>());

        Fails(await AnswerAsync(store, "03-1", _ => Task.FromResult<object?>(new ReadResult(request, [recruiterItem], 1, 1, 0.5))),
            "no read reached DynamoDB");
        Fails(await AnswerAsync(store, "03-1", async s =>
        {
            await s.GetMemberAsync("030", Cancel);
            return new ReadResult(request, [recruiterItem], 1, 1, 0.5);
        }), "none of your requests returned", Keys.User(recruiter));
        Fails(await AnswerAsync(store, "03-1", async s =>
        {
            var scan = await s.ScanAsync(Cancel);
            return new ReadResult(request, scan.Items.Where(i => Keys.KeyText(i) == $"{Keys.User(recruiter)}|{Keys.Profile}").ToList(), 1, 1, 0.5);
        }), "a Scan reads every item");

        var unrecorded = await Exercise.CheckAsync(store, "07-2", await store.FindMemberByPhoneAsync("1-226-449-0020 x4499", Cancel), Cancel);
        Fails(unrecorded, "Exercise.BeginAsync(store, \"07-2\")");
    }

    [Fact]
    public async Task Hints_name_the_day_the_bound_and_the_member_that_were_sent()
    {
        var (store, data) = await dynamo.SeededTableAsync("exercises");

        Fails(await AnswerAsync(store, "05-1", async s => new[]
        {
            await s.GetSalesOnDateAsync(new DateOnly(2025, 2, 3), cancellationToken: Cancel),
            await s.GetSalesOnDateAsync(Feb04, cancellationToken: Cancel),
        }), "sale_date = 'DATE#20250203'", "'DATE#20250205'");
        Fails(await AnswerAsync(store, "05-1", async s => await s.GetSalesOnDateAsync(Feb04, cancellationToken: Cancel)),
            "you queried only sale_date = 'DATE#20250204'", "'DATE#20250205'");
        Fails(await AnswerAsync(store, "06-1", async s => await s.ExecutePartiQlAsync(
            $"SELECT * FROM \"{s.TableName}\".\"{Indexes.SaleReference}\" WHERE pk = ? AND begins_with(sale_reference, ?) AND begins_with(sale_date, ?)",
            [Keys.User("005"), Keys.SaleReferencePrefix("005"), "DATE#202501"], Cancel)), "begins_with(sale_date, 'DATE#202501')");
        Fails(await AnswerAsync(store, "06-1", async s => await s.GetSalesOfMemberAsync("004", Cancel)), "pk = 'USER#004'");
        var other = data.Members.First(m => m.Id != "030" && m.Id != data.Members.Single(x => x.Id == "030").RecruitedBy);
        Fails(await AnswerAsync(store, "03-1", async s =>
        {
            await s.GetMemberAsync("030", Cancel);
            return await s.GetMemberAsync(other.Id, Cancel);
        }), $"{Keys.User(other.Id)}'s profile");
        Fails(await AnswerAsync(store, "07-1", async s => await s.FindMemberByEmailAsync("emil_skiles@example.com", Cancel)), "email = 'emil_skiles@example.com'");
    }

    [Fact]
    public async Task Paging_and_budgets_are_judged_from_the_requests()
    {
        var (store, _) = await dynamo.SeededTableAsync("exercises");
        var member = new Dictionary<string, AttributeValue> { [":u"] = S(Keys.User("001")), [":s"] = S(Keys.SalePrefix) };

        async Task<object?> PagesAsync(MlmStore s, int limit, int most)
        {
            var pages = new List<QueryResponse>();
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var page = await QueryAsync(s, null, "pk = :u AND begins_with(sk, :s)", member, limit: limit, startKey: start);
                pages.Add(page);
                start = page.LastEvaluatedKey;
            } while (start is { Count: > 0 } && pages.Count < most);
            return pages;
        }
        Passes(await AnswerAsync(store, "06-2", s => PagesAsync(s, 2, 100)));
        Fails(await AnswerAsync(store, "06-2", s => PagesAsync(s, 2, 2)), "still had a LastEvaluatedKey");
        Fails(await AnswerAsync(store, "06-2", s => PagesAsync(s, 10, 100)), "Limit = 10");
        Fails(await AnswerAsync(store, "06-2", async s => await s.GetSalesOfMemberAsync("001", Cancel)), "no Limit");

        Fails(await AnswerAsync(store, "03-2", async s => new object[]
            {
                await s.GetMemberAsync("004", Cancel),
                await QueryAsync(s, null, "pk = :u AND begins_with(sk, :s)", new() { [":u"] = S(Keys.User("004")), [":s"] = S(Keys.SalePrefix) }),
            }),
            "for 1 read unit in 2 requests", "the budget is 0.5 read units");
        Fails(await AnswerAsync(store, "03-2", async s => await QueryAsync(s, null, "pk = :u", new() { [":u"] = S(Keys.User("004")) }, consistent: true)),
            "strongly consistent");
    }

    [Fact]
    public async Task The_write_is_judged_by_its_transaction_and_a_second_member_with_the_same_email_is_refused()
    {
        var (store, _) = await dynamo.SeededTableAsync("exercises");
        var ada = new Member("081", "004", "Ada Lovelace", "ada.lovelace@example.com", "555-0181", "12 Analytical Row", "2025-02-20T09:00:00Z");
        TransactWriteItem Put(Dictionary<string, AttributeValue> item, string? condition = "attribute_not_exists(pk)") =>
            new() { Put = new Put { TableName = store.TableName, Item = item, ConditionExpression = condition } };
        Task<TransactWriteItemsResponse> TransactAsync(params TransactWriteItem[] items) =>
            store.Client.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = items.ToList() }, Cancel);

        Passes(await AnswerAsync(store, "07-3", async _ => await TransactAsync(Put(ada.ToItem()), Put(Keys.Marker(Keys.EmailMarker(ada.Email), ada.Id)))));
        Assert.DoesNotContain(await store.KeysAsync(Cancel), k => k.StartsWith(Keys.User("081"), StringComparison.Ordinal) || k.Contains(ada.Email, StringComparison.Ordinal));

        Passes(await AnswerAsync(store, "07-3", async s =>
        {
            await s.RegisterMemberAsync(ada, Cancel);
            return await s.GetMemberAsync("081", Cancel);
        }));
        Fails(await AnswerAsync(store, "07-3", async s =>
        {
            await s.Client.PutItemAsync(s.TableName, ada.ToItem(), Cancel);
            return await s.Client.PutItemAsync(s.TableName, Keys.Marker(Keys.EmailMarker(ada.Email), ada.Id), Cancel);
        }), "separate requests");
        Fails(await AnswerAsync(store, "07-3", async _ => await TransactAsync(Put(ada.ToItem()), Put(Keys.Marker(Keys.EmailMarker(ada.Email), ada.Id), null))),
            "has no condition attribute_not_exists");
        Fails(await AnswerAsync(store, "07-3", async _ => await TransactAsync(Put(ada.ToItem()))), "no separate item whose key holds the email");
        Fails(await AnswerAsync(store, "07-3", async _ => await TransactAsync(Put(ada.ToItem()),
            Put(Keys.ItemKey(Keys.EmailMarker(ada.Email) + "#" + Keys.User("081"), "UNIQUE")))), "keyed by the email alone");
        Assert.DoesNotContain(await store.KeysAsync(Cancel), k => k.StartsWith("USER#081|", StringComparison.Ordinal) || k.StartsWith("USER#082|", StringComparison.Ordinal)
            || k.Contains(ada.Email, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Design_exercises_judge_the_index_the_backfill_and_the_query()
    {
        var (store, _) = await dynamo.SeededTableAsync("exercises");

        async Task AddIndexAsync(MlmStore work, string name, string partition, string? sort)
        {
            var keys = new List<KeySchemaElement> { new(partition, KeyType.HASH) };
            var attributes = new List<AttributeDefinition> { new(partition, ScalarAttributeType.S) };
            if (sort is not null) { keys.Add(new(sort, KeyType.RANGE)); attributes.Add(new(sort, ScalarAttributeType.S)); }
            await work.Client.UpdateTableAsync(new UpdateTableRequest
            {
                TableName = work.TableName, AttributeDefinitions = attributes,
                GlobalSecondaryIndexUpdates = [new() { Create = new() { IndexName = name, KeySchema = keys, Projection = new() { ProjectionType = ProjectionType.ALL } } }],
            }, Cancel);
            await TableDefinition.WaitUntilActiveAsync(work.Client, work.TableName, cancellationToken: Cancel);
        }
        async Task SetAsync(MlmStore work, IEnumerable<(string Pk, string Sk, string Value)> items, string attribute)
        {
            foreach (var (pk, sk, value) in items)
                await work.Client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = work.TableName, Key = Keys.ItemKey(pk, sk), UpdateExpression = $"SET {attribute} = :v",
                    ExpressionAttributeValues = new() { [":v"] = S(value) },
                }, Cancel);
        }
        async Task<object?> DateRangeAsync(MlmStore work, Func<Sale, bool> backfill, Func<Sale, string> value, string last)
        {
            await AddIndexAsync(work, "by-day", Keys.PartitionKey, "sold_on");
            await SetAsync(work, (await work.ScanAsync(Cancel)).Sales().Where(backfill).Select(s => (s.PartitionKey, s.SortKey, value(s))), "sold_on");
            return await QueryAsync(work, "by-day", "pk = :u AND sold_on BETWEEN :a AND :b", new() { [":u"] = S(Keys.User("005")), [":a"] = S("DATE#20250201"), [":b"] = S(last) });
        }

        Passes(await AnswerAsync(store, "13-1", work => DateRangeAsync(work, _ => true, s => s.SaleDateKey, "DATE#20250211")));
        Fails(await AnswerAsync(store, "13-1", work => DateRangeAsync(work, s => s.MemberId == "005", s => s.SaleDateKey, "DATE#20250211")),
            "14 sales of 20 have no sold_on", "backfill every existing sale");
        Fails(await AnswerAsync(store, "13-1", work => DateRangeAsync(work, _ => true, s => $"{s.SaleDateKey}#{s.SortKey}", "DATE#20250211")),
            "leave out the sales of 2025-02-11");
        Fails(await AnswerAsync(store, "13-1", async work => await work.ScanAsync(Cancel)), "no global secondary index yet");
        Assert.False(await TableDefinition.ExistsAsync(store.Client, $"{store.TableName}-exercise-13-1", Cancel));

        async Task<object?> SparseAsync(MlmStore work, bool profilesOnly)
        {
            await AddIndexAsync(work, "sellers", "first_sale", null);
            var scan = await work.ScanAsync(Cancel);
            var marked = profilesOnly
                ? scan.Sales().GroupBy(s => s.MemberId).Select(g => (Keys.User(g.Key), Keys.Profile, g.Min(s => s.SaleDateKey)!))
                : scan.Sales().Select(s => (s.PartitionKey, s.SortKey, s.SaleDateKey));
            await SetAsync(work, marked, "first_sale");
            return await work.Client.ScanAsync(new ScanRequest { TableName = work.TableName, IndexName = "sellers" }, Cancel);
        }
        var sparse = await AnswerAsync(store, "13-2", work => SparseAsync(work, true));
        Passes(sparse);
        Assert.Contains("it read 5 items, where a scan of the table reads 100", sparse.Message);
        Fails(await AnswerAsync(store, "13-2", work => SparseAsync(work, false)), "20 items that are not a seller's profile carry first_sale");
    }

    [Fact]
    public async Task A_placeholder_is_not_attempted_and_a_leftover_answer_is_not_taken_for_another_exercise()
    {
        var (store, _) = await dynamo.SeededTableAsync("exercises");
        Assert.Equal(ExerciseStatus.NotAttempted, (await Exercise.CheckAsync(store, "03-1", null, Cancel)).Status);
        Assert.Equal(ExerciseStatus.NotAttempted, (await Exercise.CheckAsync(store, "04-1", new List<object>(), Cancel)).Status);

        await Exercise.BeginAsync(store, "07-1", Cancel);
        var byEmail = await store.FindMemberByEmailAsync("emil_skiles62@example.com", Cancel);
        Assert.True((await Exercise.CheckAsync(store, "07-1", byEmail, Cancel)).Passed);
        Assert.True((await Exercise.CheckAsync(store, "07-1", byEmail, Cancel)).Passed, "a check run twice judges the same requests again");
        var leftover = await Exercise.CheckAsync(store, "07-2", byEmail, Cancel);
        Assert.Equal(ExerciseStatus.NotAttempted, leftover.Status);
        Assert.Contains("07-1", leftover.Message);

        await Assert.ThrowsAsync<ArgumentException>(() => Exercise.CheckAsync(store, "99-9", null, Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => Exercise.BeginAsync(store, "99-9", Cancel));
    }

    [Fact]
    public async Task The_raw_request_is_the_SDK_request_as_marshalled_for_the_wire()
    {
        var (store, _) = await dynamo.SeededTableAsync("exercises");
        var read = await store.GetSalesOnDateAsync(Feb04, "001", Cancel);
        var raw = read.RawRequest();
        Assert.StartsWith("Query\n", raw);
        var body = System.Text.Json.Nodes.JsonNode.Parse(raw.Substring("Query\n".Length))!;
        Assert.Equal(Indexes.SaleDate, body["IndexName"]!.GetValue<string>());
        Assert.Equal("sale_date = :date AND begins_with(sale_reference, :reference)", body["KeyConditionExpression"]!.GetValue<string>());
        Assert.Equal("USER#001#SALE#", body["ExpressionAttributeValues"]![":reference"]!["S"]!.GetValue<string>());
        Assert.Equal("TOTAL", body["ReturnConsumedCapacity"]!.GetValue<string>());

        var forged = new ReadResult(read.Request, read.Items, 1, read.Count, 0);
        Assert.Throws<InvalidOperationException>(() => forged.RawRequest());
    }

    [Fact]
    public void The_result_shows_as_html_text_and_json()
    {
        var result = new ExerciseResult("04-1", "Two levels down", ExerciseStatus.Failed, "these are <level 1>", 0.5, 1, 0.5);
        Assert.Contains("&lt;level 1&gt;", result.ToHtml());
        Assert.StartsWith("✘ 04-1 Two levels down: these are <level 1>", result.ToString());
        var json = System.Text.Json.Nodes.JsonNode.Parse(result.ToJson())!;
        Assert.Equal("04-1", json["id"]!.GetValue<string>());
        Assert.False(json["passed"]!.GetValue<bool>());
        Assert.Equal("failed", json["status"]!.GetValue<string>());
    }
}
