using Mlm.Workbook.Presentation;

namespace Mlm.Workbook.Tests;

/// <summary>Each access pattern returns exactly what the seeded data says it should.</summary>
public class AccessPatternTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_member_by_id_with_GetItem_and_with_the_exercise_query()
    {
        var (store, data) = await dynamo.SeededTableAsync("member");
        foreach (var expected in new[] { data.Members[0], data.Members[41], data.Members[^1] })
        {
            var viaGet = await store.GetMemberAsync(expected.Id, Cancel);
            var viaQuery = await store.QueryMemberAsync(int.Parse(expected.Id).ToString(), Cancel);
            Assert.Equal(expected, Assert.Single(viaGet.Members()));
            Assert.Equal(expected, Assert.Single(viaQuery.Members()));
            Assert.True(viaGet.CapacityUnits > 0);
        }
        Assert.Equal(0, (await store.GetMemberAsync("999", Cancel)).Count);
    }

    [Fact]
    public async Task Direct_downline_lists_exactly_the_recruits_and_never_the_member_itself()
    {
        var (store, data) = await dynamo.SeededTableAsync("downline");
        foreach (var recruiter in data.Members.Take(6))
        {
            var result = await store.GetDownlineAsync(recruiter.Id, Cancel);
            var expected = data.Members.Where(m => m.RecruitedBy == recruiter.Id).Select(m => m.Id).Order();
            Assert.Equal(expected, result.Members().Select(m => m.Id).Order());
            Assert.DoesNotContain(recruiter.Id, result.Members().Select(m => m.Id));
            Assert.Equal("recruited_by-index", result.Request.IndexName);
        }
    }

    [Fact]
    public async Task Sales_on_a_date_and_narrowed_to_one_member()
    {
        var (store, data) = await dynamo.SeededTableAsync("by-date");
        foreach (var date in data.Sales.Select(s => s.Date).Distinct())
        {
            var result = await store.GetSalesOnDateAsync(date, cancellationToken: Cancel);
            var expected = data.Sales.Where(s => s.Date == date).OrderBy(s => s.SaleReference, StringComparer.Ordinal);
            // The index's sort key orders the day's sales by reference.
            Assert.Equal(expected, result.Sales());

            var seller = expected.First().MemberId;
            var narrowed = await store.GetSalesOnDateAsync(date, seller, Cancel);
            Assert.Equal(expected.Where(s => s.MemberId == seller), narrowed.Sales());
        }
        var quietDay = data.Sales.Min(s => s.Date).AddDays(-1);
        Assert.Equal(0, (await store.GetSalesOnDateAsync(quietDay, cancellationToken: Cancel)).Count);
    }

    [Fact]
    public async Task Sales_of_a_member_come_from_the_local_index_in_reference_order()
    {
        var (store, data) = await dynamo.SeededTableAsync("of-member");
        foreach (var member in data.Members.Take(6))
        {
            var result = await store.GetSalesOfMemberAsync(member.Id, Cancel);
            Assert.Equal(data.Sales.Where(s => s.MemberId == member.Id).OrderBy(s => s.SaleReference, StringComparer.Ordinal), result.Sales());
            Assert.Equal("sale_reference-index", result.Request.IndexName);
            Assert.DoesNotContain(result.Items, Member.IsMember);
        }
    }

    [Fact]
    public async Task Find_member_by_email_or_phone()
    {
        var (store, data) = await dynamo.SeededTableAsync("contact");
        foreach (var member in data.Members.Where((_, i) => i % 9 == 0))
        {
            Assert.Equal(member, Assert.Single((await store.FindMemberByEmailAsync(member.Email, Cancel)).Members()));
            Assert.Equal(member, Assert.Single((await store.FindMemberByPhoneAsync(member.Phone, Cancel)).Members()));
        }
        Assert.Equal(0, (await store.FindMemberByEmailAsync("nobody@example.com", Cancel)).Count);
        await Assert.ThrowsAsync<ArgumentException>(() => store.FindMemberByEmailAsync(" ", Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => store.FindMemberByPhoneAsync("", Cancel));
    }

    [Fact]
    public async Task Requests_carry_values_as_expression_values_not_in_the_expression()
    {
        var (store, _) = await dynamo.SeededTableAsync("injection");
        // Looks like an expression, passes as an email: it travels as a value and matches nothing.
        var result = await store.FindMemberByEmailAsync(":email)OR(attribute_exists(pk)@example.com", Cancel);
        Assert.Equal(0, result.Count);
        Assert.Equal("email = :email", result.Request.KeyCondition);
        Assert.Equal(":email)OR(attribute_exists(pk)@example.com", result.Request.Values[":email"]);
        await Assert.ThrowsAsync<ArgumentException>(() => store.FindMemberByEmailAsync("x@example.com OR 1=1", Cancel));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetDownlineAsync(":v OR 1=1", Cancel));
    }

    [Fact]
    public async Task A_full_scan_returns_every_item_as_a_twelve_column_frame()
    {
        var (store, data) = await dynamo.SeededTableAsync("scan");
        var result = await store.ScanAsync(Cancel);
        Assert.Equal(100, result.Count);
        Assert.Equal(data.Members.OrderBy(m => m.Id), result.Members().OrderBy(m => m.Id));
        Assert.Equal(data.Sales, result.Sales().OrderBy(s => s.Id));

        var frame = result.ToDataFrame();
        Assert.Equal(100, frame.Rows.Count);
        Assert.Equal(
            ["pk", "sk", "address", "amount", "created_at", "email", "item", "name", "phone", "recruited_by", "sale_date", "sale_reference"],
            frame.Columns.Select(c => c.Name));
        Assert.Equal(typeof(decimal), frame.Columns["amount"].DataType);
        Assert.Equal(data.Sales.Sum(s => s.Amount), (decimal)frame.Columns["amount"].Sum());
        Assert.Equal(data.Members.Count, frame.Columns["amount"].NullCount);
        Assert.Equal(data.Sales.Count + 1, frame.Columns["recruited_by"].NullCount); // sales and the root
    }
}
