namespace Mlm.Workbook.Tests;

/// <summary>The exercise checks on their own: expectations from the data, hints that name the mistake, placeholders.</summary>
public sealed class ExerciseCheckTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Right_answers_pass_and_the_likely_mistakes_fail_with_their_hint()
    {
        var (store, data) = await dynamo.SeededTableAsync("exercises");

        var recruiter = data.Members.Single(m => m.Id == "030").RecruitedBy!;
        var pass = await Exercise.CheckAsync(store, "03-1", await store.GetMemberAsync(recruiter, Cancel), Cancel);
        Assert.True(pass.Passed, pass.Message);
        Assert.Equal(0.5, pass.CapacityUnits);

        var own = await Exercise.CheckAsync(store, "03-1", await store.GetMemberAsync("030", Cancel), Cancel);
        Assert.Equal(ExerciseStatus.Failed, own.Status);
        Assert.Contains("member 030's own profile", own.Message);

        var level1 = await store.GetDownlineAsync("002", Cancel);
        var firstLevel = await Exercise.CheckAsync(store, "04-1", level1, Cancel);
        Assert.Contains("002's own recruits (level 1)", firstLevel.Message);

        var otherMember = new List<ReadResult>();
        foreach (var recruit in (await store.GetDownlineAsync("001", Cancel)).Members()) otherMember.Add(await store.GetDownlineAsync(recruit.Id, Cancel));
        var wrongMember = await Exercise.CheckAsync(store, "04-1", otherMember, Cancel);
        Assert.Equal("these are the recruits of member 001's recruits; the task asked for 002's", wrongMember.Message);

        // The right items, by a scan: right, but not by the road the exercise practises.
        var scan = await store.ScanAsync(Cancel);
        var byScan = await Exercise.CheckAsync(store, "07-1", scan, Cancel);
        Assert.Equal(ExerciseStatus.Failed, byScan.Status);

        var oneDay = await Exercise.CheckAsync(store, "05-1", new List<ReadResult> { await store.GetSalesOnDateAsync(new DateOnly(2025, 2, 4), cancellationToken: Cancel) }, Cancel);
        Assert.Contains("2025-02-04 only", oneDay.Message);
    }

    [Fact]
    public async Task A_placeholder_is_not_attempted_and_a_leftover_answer_is_not_taken_for_another_exercise()
    {
        var (store, _) = await dynamo.SeededTableAsync("exercises");
        Assert.Equal(ExerciseStatus.NotAttempted, (await Exercise.CheckAsync(store, "03-1", null, Cancel)).Status);
        Assert.Equal(ExerciseStatus.NotAttempted, (await Exercise.CheckAsync(store, "04-1", new List<ReadResult>(), Cancel)).Status);

        var byEmail = await store.FindMemberByEmailAsync("emil_skiles62@example.com", Cancel);
        Assert.True((await Exercise.CheckAsync(store, "07-1", byEmail, Cancel)).Passed);
        var leftover = await Exercise.CheckAsync(store, "07-2", byEmail, Cancel);
        Assert.Equal(ExerciseStatus.NotAttempted, leftover.Status);
        Assert.Contains("07-1", leftover.Message);

        await Assert.ThrowsAsync<ArgumentException>(() => Exercise.CheckAsync(store, "99-9", null, Cancel));
    }

    [Fact]
    public void The_result_shows_as_html_text_and_json()
    {
        var result = new ExerciseResult("04-1", "Two levels down", ExerciseStatus.Failed, "these are <level 1>", 0.5, 1);
        Assert.Contains("&lt;level 1&gt;", result.ToHtml());
        Assert.StartsWith("✘ 04-1 Two levels down: these are <level 1>", result.ToString());
        var json = System.Text.Json.Nodes.JsonNode.Parse(result.ToJson())!;
        Assert.Equal("04-1", json["id"]!.GetValue<string>());
        Assert.False(json["passed"]!.GetValue<bool>());
        Assert.Equal("failed", json["status"]!.GetValue<string>());
    }
}
