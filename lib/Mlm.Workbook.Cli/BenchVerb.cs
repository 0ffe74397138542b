using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Mlm.Workbook;
using Mlm.Workbook.Presentation;

namespace Mlm.Workbook.Cli;

/// <summary>
/// The <c>bench</c> verb: measures, in one run against one DynamoDB, the library's bulk load against the practical
/// limit (a minimal client), each access pattern against a bare SDK call, the whole-downline strategies, DataFrame
/// conversion and peak memory. Results are ratios of figures taken side by side, so a noisy machine affects both.
/// </summary>
internal static class BenchVerb
{
    private const int LatencyRounds = 300;
    private const int LimitConnections = 4;

    /// <summary>The most items a bench loads (the data set's own limits, members and sales together).</summary>
    private const int MaxItems = 10_000_000;

    public static System.CommandLine.Command Command()
    {
        var items = CliOptions.Number("--items", "Items to load, 80% members in a deep tree and 20% sales", 100_000, 100, MaxItems);
        var command = new System.CommandLine.Command("bench",
            "Measure bulk load, access patterns, downline walks and DataFrame conversion against side-by-side references, in a private " +
            "in-memory DynamoDB Local unless AWS_ENDPOINT_URL_DYNAMODB names one; build with -c Release.") { items };
        command.SetAction((result, _) => RunAsync(result.GetValue(items)));

        var rounds = CliOptions.Number("--rounds", "Rounds of each timed request", 50, 1, 100_000);
        var noWorkbook = CliOptions.Flag("--no-workbook", "Skip running the whole workbook through nbclient");
        var kernel = new System.CommandLine.Command("kernel",
            "The kernel against dotnet-interactive and ipykernel through jupyter_client: cold start, a trivial cell, a completion, the whole workbook through nbclient.")
        {
            rounds, noWorkbook,
        };
        kernel.SetAction((result, _) => KernelBench.RunAsync(result.GetValue(rounds), !result.GetValue(noWorkbook)));
        command.Add(kernel);
        command.Add(GradeBench.Command());
        return command;
    }

    private static async Task<int> RunAsync(int items)
    {
        var settings = ConnectionSettings.FromEnvironment();
        if (settings.Target == DynamoDbTarget.Aws)
            throw new ArgumentException("bench loads hundreds of thousands of items; run it against DynamoDB Local, not AWS (unset MLM_DYNAMODB).");

        Task<OwnedDynamoDbLocal?> startup = Task.FromResult<OwnedDynamoDbLocal?>(null);
        return await Interruption.RunAsync(async _ =>
        {
            startup = settings.Endpoint is null ? StartAsync() : Task.FromResult<OwnedDynamoDbLocal?>(null);
            var owned = await startup;
            var endpoint = owned?.Endpoint ?? settings.Endpoint!;
            try
            {
                Console.WriteLine($"DynamoDB: {endpoint}{(owned is null ? "" : " (DynamoDB Local in memory, started for this run)")}; {items:N0} items.");
                return await MeasureAsync(endpoint, items);
            }
            finally
            {
                if (owned is not null) await owned.DisposeAsync();
            }
        }, async () =>
        {
            var owned = await startup;
            if (owned is null) return "nothing was started, so nothing was stopped.";
            await owned.DisposeAsync();
            return $"stopped the in-memory DynamoDB Local this command started on port {owned.Instance.Port}.";
        });
    }

    private static async Task<OwnedDynamoDbLocal?> StartAsync() => await DynamoDbLocal.StartInMemoryAsync();

    private static async Task<int> MeasureAsync(string endpoint, int itemCount)
    {
        var client = Connection.ForLocalEndpoint(endpoint);
        var suffix = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var sales = itemCount / 5;
        var data = FakeData.Generate(new FakeDataOptions(Members: itemCount - sales, Sales: sales, Recruiters: int.MaxValue));
        var expectedKeys = data.Items().Select(i => $"{i["pk"].S}|{i["sk"].S}").ToHashSet(StringComparer.Ordinal);

        // The practical limit: the same items as pre-serialized BatchWriteItem bodies, no SDK, over four connections.
        // Both loaders run twice, in the order limit, library, library, limit, each into an empty table of the same shape,
        // so that warming up and drift fall on both alike; each one's figure is the mean of its two runs.
        var limitSeconds = new List<double>();
        var loadSeconds = new List<double>();
        var limitCount = 0;
        MlmStore? store = null;
        var exact = true;
        foreach (var (round, useLibrary) in new[] { (1, false), (1, true), (2, true), (2, false) })
        {
            var target = new MlmStore(client, $"bench-{(useLibrary ? "library" : "limit")}-{round}-{suffix}");
            await target.CreateTableAsync();
            var clock = Stopwatch.StartNew();
            if (useLibrary)
            {
                Console.WriteLine($"Loading with the library (run {round}) …");
                await target.SeedAsync(data, progress: new ConsoleProgress(itemCount));
                loadSeconds.Add(clock.Elapsed.TotalSeconds);
            }
            else
            {
                var bodies = data.Items().Chunk(MlmStore.BatchSize).Select(batch => BatchBody(target.TableName, batch)).ToList();
                Console.WriteLine($"Loading with the minimal client (run {round}) …");
                clock.Restart();
                limitSeconds.Add(await MinimalLoadAsync(endpoint, bodies));
            }
            var keys = await target.KeysAsync();
            var loadedExactly = keys.Count == itemCount && keys.All(expectedKeys.Contains);
            if (useLibrary) exact &= loadedExactly;
            else limitCount = keys.Count;
            if (useLibrary && round == 2) store = target;
            else await target.DeleteTableAsync();
        }

        Console.WriteLine("Timing the access patterns …");
        var patterns = await PatternLatenciesAsync(store!, client, data);

        Console.WriteLine("Converting the table to a DataFrame …");
        var scan = await store!.ScanAsync();
        GC.Collect();
        var frameClock = Stopwatch.StartNew();
        var frame = Frames.ToDataFrame(scan.Items);
        var frameSeconds = frameClock.Elapsed.TotalSeconds;

        Console.WriteLine("Walking the whole downline of the root both ways …");
        var walks = new Dictionary<DownlineStrategy, (double Seconds, Downline Result)>();
        foreach (var strategy in new[] { DownlineStrategy.QueryLevels, DownlineStrategy.ScanTable })
        {
            var clock = Stopwatch.StartNew();
            var downline = await store.GetWholeDownlineAsync("001", strategy);
            walks[strategy] = (clock.Elapsed.TotalSeconds, downline);
        }
        var branchClock = Stopwatch.StartNew();
        var branch = await store.GetWholeDownlineAsync(BranchOfAbout(data, 200));
        var branchSeconds = branchClock.Elapsed.TotalSeconds;
        await store.DeleteTableAsync();

        var peakMemoryMb = PeakMemoryBytes() / (1024.0 * 1024.0);
        var loadRate = itemCount / loadSeconds.Average();
        var limitRate = itemCount / limitSeconds.Average();

        Console.WriteLine();
        Console.WriteLine($"{"Measure",-44} {"Library",12} {"Reference",12} {"Ratio",7}");
        Console.WriteLine($"{"Bulk load, items/s (reference: minimal client)",-44} {loadRate,12:N0} {limitRate,12:N0} {loadRate / limitRate,7:0.00}");
        foreach (var (name, library, bare) in patterns)
            Console.WriteLine($"{name + " p50 ms (reference: bare SDK)",-44} {library.P50,12:0.000} {bare.P50,12:0.000} {library.P50 / bare.P50,7:0.00}");
        foreach (var (name, library, bare) in patterns)
            Console.WriteLine($"{name + " p95 ms",-44} {library.P95,12:0.000} {bare.P95,12:0.000} {library.P95 / bare.P95,7:0.00}");
        Console.WriteLine($"{"Whole downline of 001, s (queries vs scan)",-44} {walks[DownlineStrategy.QueryLevels].Seconds,12:0.00} {walks[DownlineStrategy.ScanTable].Seconds,12:0.00} {walks[DownlineStrategy.QueryLevels].Seconds / walks[DownlineStrategy.ScanTable].Seconds,7:0.00}");
        Console.WriteLine($"Loaded exactly {itemCount:N0} items: {(exact ? "yes" : "NO")} (minimal client: {limitCount:N0}).");
        Console.WriteLine($"DataFrame of {frame.Rows.Count:N0} rows × {frame.Columns.Count} columns in {frameSeconds:0.00} s. Peak memory {peakMemoryMb:N0} MB.");
        Console.WriteLine($"Downline of 001: {walks[DownlineStrategy.ScanTable].Result.Members.Count:N0} members, {walks[DownlineStrategy.ScanTable].Result.Depth} levels; " +
                          $"{walks[DownlineStrategy.QueryLevels].Result.Requests:N0} queries vs {walks[DownlineStrategy.ScanTable].Result.Requests} scan pages. " +
                          $"A branch of {branch.Members.Count} members (Auto chose {branch.Strategy}) in {branchSeconds * 1000:0} ms.");

        var summary = new JsonObject
        {
            ["items"] = itemCount,
            ["load"] = new JsonObject { ["items_per_s"] = Round(loadRate), ["seconds"] = Round(loadSeconds.Average()), ["exact"] = exact },
            ["limit"] = new JsonObject { ["items_per_s"] = Round(limitRate), ["seconds"] = Round(limitSeconds.Average()), ["connections"] = LimitConnections, ["count"] = limitCount },
            ["ratios"] = new JsonObject
            {
                ["load_vs_limit"] = Round(loadRate / limitRate),
                ["patterns_p50_library_vs_bare"] = new JsonObject(patterns.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)Round(p.Library.P50 / p.Bare.P50)))),
                ["downline_queries_vs_scan_seconds"] = Round(walks[DownlineStrategy.QueryLevels].Seconds / walks[DownlineStrategy.ScanTable].Seconds),
            },
            ["latency_ms"] = new JsonObject(patterns.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)new JsonObject
            {
                ["library_p50"] = Round(p.Library.P50), ["library_p95"] = Round(p.Library.P95),
                ["bare_p50"] = Round(p.Bare.P50), ["bare_p95"] = Round(p.Bare.P95),
            }))),
            ["dataframe"] = new JsonObject { ["rows"] = frame.Rows.Count, ["seconds"] = Round(frameSeconds) },
            ["downline"] = new JsonObject
            {
                ["members"] = walks[DownlineStrategy.ScanTable].Result.Members.Count,
                ["levels"] = walks[DownlineStrategy.ScanTable].Result.Depth,
                ["queries_seconds"] = Round(walks[DownlineStrategy.QueryLevels].Seconds),
                ["scan_seconds"] = Round(walks[DownlineStrategy.ScanTable].Seconds),
                ["branch_members"] = branch.Members.Count,
                ["branch_strategy"] = branch.Strategy.ToString(),
                ["branch_seconds"] = Round(branchSeconds),
            },
            ["peak_memory_mb"] = Round(peakMemoryMb),
        };
        Console.WriteLine(summary.ToJsonString());
        return exact ? 0 : 1;
    }

    /// <summary>The member whose downline is closest to a given size, found from the data itself.</summary>
    private static string BranchOfAbout(SeedData data, int size)
    {
        var sizes = data.Members.ToDictionary(m => m.Id, _ => 0, StringComparer.Ordinal);
        // Recruiters come before their recruits, so adding each subtree to its recruiter from the last member up is complete.
        foreach (var member in data.Members.Reverse())
            if (member.RecruitedBy is { } recruiter) sizes[recruiter] += sizes[member.Id] + 1;
        return sizes.MinBy(s => Math.Abs(s.Value - size)).Key;
    }

    private sealed record Percentiles(double P50, double P95);

    /// <summary>Each access pattern through the library and as one prebuilt low-level SDK call, rounds interleaved.</summary>
    private static async Task<List<(string Name, Percentiles Library, Percentiles Bare)>> PatternLatenciesAsync(MlmStore store, IAmazonDynamoDB client, SeedData data)
    {
        var member = data.Members[1];
        var sale = data.Sales[0];
        var table = store.TableName;
        QueryRequest Query(string? index, string condition, params (string Name, string Value)[] values) => new()
        {
            TableName = table, IndexName = index, KeyConditionExpression = condition,
            ExpressionAttributeValues = values.ToDictionary(v => v.Name, v => new AttributeValue { S = v.Value }),
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        };
        var getItem = new GetItemRequest
        {
            TableName = table, ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            Key = new() { ["pk"] = new AttributeValue { S = member.PartitionKey }, ["sk"] = new AttributeValue { S = Keys.Profile } },
        };
        var cases = new (string Name, Func<Task> Library, Func<Task> Bare)[]
        {
            ("get_member", () => store.GetMemberAsync(member.Id), () => client.GetItemAsync(getItem)),
            ("downline", () => store.GetDownlineAsync(member.Id), () => client.QueryAsync(Query(Indexes.RecruitedBy, "recruited_by = :r", (":r", member.PartitionKey)))),
            ("sales_on_date", () => store.GetSalesOnDateAsync(sale.Date), () => client.QueryAsync(Query(Indexes.SaleDate, "sale_date = :d", (":d", sale.SaleDateKey)))),
            ("sales_of_member", () => store.GetSalesOfMemberAsync(sale.MemberId), () => client.QueryAsync(Query(Indexes.SaleReference, "pk = :pk AND begins_with(sale_reference, :p)", (":pk", sale.PartitionKey), (":p", Keys.SaleReferencePrefix(sale.MemberId))))),
            ("by_email", () => store.FindMemberByEmailAsync(member.Email), () => client.QueryAsync(Query(Indexes.Email, "email = :e", (":e", member.Email)))),
            ("by_phone", () => store.FindMemberByPhoneAsync(member.Phone), () => client.QueryAsync(Query(Indexes.Phone, "phone = :p", (":p", member.Phone)))),
        };
        var results = new List<(string, Percentiles, Percentiles)>();
        foreach (var (name, library, bare) in cases)
        {
            for (var i = 0; i < 20; i++) { await library(); await bare(); } // warm up both paths
            var libraryTimes = new List<double>(LatencyRounds);
            var bareTimes = new List<double>(LatencyRounds);
            for (var i = 0; i < LatencyRounds; i++)
            {
                // Alternate which goes first, so neither always follows the other.
                if (i % 2 == 0) { libraryTimes.Add(await TimeAsync(library)); bareTimes.Add(await TimeAsync(bare)); }
                else { bareTimes.Add(await TimeAsync(bare)); libraryTimes.Add(await TimeAsync(library)); }
            }
            results.Add((name, Summarize(libraryTimes), Summarize(bareTimes)));
        }
        return results;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static Percentiles Summarize(List<double> times)
    {
        times.Sort();
        double At(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        return new Percentiles(At(0.50), At(0.95));
    }

    /// <summary>One BatchWriteItem request body, serialized once, before any timing starts.</summary>
    private static byte[] BatchBody(string tableName, IEnumerable<Dictionary<string, AttributeValue>> items)
    {
        var writes = new JsonArray();
        foreach (var item in items)
        {
            var json = new JsonObject();
            foreach (var (name, value) in item)
                json[name] = value.N is not null ? new JsonObject { ["N"] = value.N } : new JsonObject { ["S"] = value.S };
            writes.Add(new JsonObject { ["PutRequest"] = new JsonObject { ["Item"] = json } });
        }
        return Encoding.UTF8.GetBytes(new JsonObject { ["RequestItems"] = new JsonObject { [tableName] = writes } }.ToJsonString());
    }

    /// <summary>Sends prepared bodies over a fixed number of connections, resending anything left unprocessed.</summary>
    private static async Task<double> MinimalLoadAsync(string endpoint, List<byte[]> bodies)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = LimitConnections }) { BaseAddress = new Uri(endpoint) };
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, LimitConnections).Select(async _ =>
        {
            for (var index = Interlocked.Increment(ref next); index < bodies.Count; index = Interlocked.Increment(ref next))
            {
                var body = bodies[index];
                while (true)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.0");
                    request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.BatchWriteItem");
                    // DynamoDB Local wants an Authorization header but does not check the signature.
                    request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0");
                    using var response = await http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"The minimal client got {(int)response.StatusCode}: {text}");
                    using var answer = JsonDocument.Parse(text);
                    if (!answer.RootElement.TryGetProperty("UnprocessedItems", out var unprocessed) || !unprocessed.EnumerateObject().Any()) break;
                    body = Encoding.UTF8.GetBytes(new JsonObject { ["RequestItems"] = JsonNode.Parse(unprocessed.GetRawText()) }.ToJsonString());
                }
            }
        }));
        return clock.Elapsed.TotalSeconds;
    }

    private static long PeakMemoryBytes()
    {
        // VmHWM is the resident set's high-water mark; Process.PeakWorkingSet64 reads the same on Linux.
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    private static double Round(double value) => Math.Round(value, 3);
}
