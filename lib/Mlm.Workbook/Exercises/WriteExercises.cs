using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// The writing exercise: register a member whose email no one else may take, with a transaction over separate items.
/// The check judges the transaction sent, then sends it again for another member: a right one is refused. Afterwards
/// it removes what was written, so the table stays the seeded data set and the exercise can be done again.
/// </summary>
internal static class WriteExercises
{
    public const string NewMember = "081";
    public const string NewMemberRecruiter = "004";
    public const string NewEmail = "ada.lovelace@example.com";
    public const string NewPhone = "555-0181";
    private const string Impostor = "082";

    public static readonly ExerciseDefinition Register =
        new(new("07-3", "07-find-member-by-email-or-phone.ipynb", $"Register member {NewMember} with an email no one else may take", "a write: a transaction over separate items"),
            JudgeAsync)
        {
            Prepare = async (store, cancellationToken) =>
            {
                await RemoveWrittenAsync(store, cancellationToken).ConfigureAwait(false);
                return store;
            },
            CleanUp = RemoveWrittenAsync,
            CleanUpNote = $"(The check then removed member {NewMember} and the items holding its email, so that you can do the exercise again.)",
        };

    private static async Task<Verdict> JudgeAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var transactions = attempt.Sent.Where(r => r.Request is TransactWriteItemsRequest).ToList();
        var done = transactions.LastOrDefault(r => r.Error is null);
        if (done is null)
        {
            if (transactions.LastOrDefault() is { Error: { } error })
                return Verdict.Fail($"your transaction was refused: {error.Message}" +
                                    (error is TransactionCanceledException canceled ? $" ({string.Join(", ", canceled.CancellationReasons.Select(r => r.Code))})" : ""));
            return Verdict.Fail(attempt.Sent.Any(r => r.Operation is "PutItem" or "BatchWriteItem")
                ? "you wrote with separate requests: if the second fails, the first stays, and two members can race for one email. Send the profile and the email's item in one TransactWriteItems request"
                : "no TransactWriteItems request reached DynamoDB between Exercise.BeginAsync and this check");
        }

        var puts = ((TransactWriteItemsRequest)done.Request).TransactItems.Select(t => t.Put).OfType<Put>().ToList();
        var profile = puts.FirstOrDefault(p => Text(p.Item, Keys.PartitionKey) == Keys.User(NewMember) && Text(p.Item, Keys.SortKey) == Keys.Profile);
        if (profile is null)
            return Verdict.Fail($"your transaction puts no profile for member {NewMember} (pk = '{Keys.User(NewMember)}', sk = '{Keys.Profile}')");
        if (!string.Equals(Text(profile.Item, Attributes.Email), NewEmail, StringComparison.OrdinalIgnoreCase))
            return Verdict.Fail($"the profile's email is '{Text(profile.Item, Attributes.Email)}'; the task's is '{NewEmail}'");
        var reserve = puts.FirstOrDefault(p => p != profile && HoldsEmail(p.Item));
        if (reserve is null)
            return Verdict.Fail("your transaction writes no separate item whose key holds the email. email-index cannot refuse a second member with the same email; " +
                                "only an item keyed by the email can, with a condition that it does not exist yet");
        foreach (var put in new[] { profile, reserve })
        {
            if (put.ConditionExpression?.Contains("attribute_not_exists", StringComparison.OrdinalIgnoreCase) != true)
                return Verdict.Fail($"the Put of {Key(put.Item)} has no condition attribute_not_exists(…), so it would overwrite an item that is already there");
        }

        var stored = await attempt.Store.Client.GetItemAsync(new GetItemRequest { TableName = attempt.Store.TableName, Key = KeyOf(reserve.Item), ConsistentRead = true },
            cancellationToken).ConfigureAwait(false);
        if (stored.Item is not { Count: > 0 })
            return Verdict.Fail($"the item {Key(reserve.Item)} is not in the table: was the transaction sent to table '{attempt.Store.TableName}'?");

        // The proof: the same transaction for another member must be refused, because the email is taken.
        var again = new TransactWriteItemsRequest
        {
            TransactItems = puts.Select(put => new TransactWriteItem
            {
                Put = new Put
                {
                    TableName = put.TableName,
                    Item = put.Item.ToDictionary(a => a.Key, a => a.Value.S is { } text ? ItemValues.S(text.Replace(Keys.User(NewMember), Keys.User(Impostor), StringComparison.Ordinal)) : a.Value),
                    ConditionExpression = put.ConditionExpression,
                    ExpressionAttributeNames = put.ExpressionAttributeNames,
                    ExpressionAttributeValues = put.ExpressionAttributeValues,
                },
            }).ToList(),
        };
        try
        {
            await attempt.Store.Client.TransactWriteItemsAsync(again, cancellationToken).ConfigureAwait(false);
            return Verdict.Fail($"the check sent your transaction again for member {Impostor} with the same email, and it was accepted: the email's item must be keyed by the email alone (not by the member too), so that a second member's item collides with it");
        }
        catch (TransactionCanceledException)
        {
            return Verdict.Pass($"member {NewMember} and the item {Key(reserve.Item)} were written in one transaction, and the same transaction for member {Impostor} with the same email was refused");
        }
    }

    /// <summary>Deletes what an answer may have written: the new member's and the impostor's items, and any item whose key holds the email or phone.</summary>
    private static async Task RemoveWrittenAsync(MlmStore store, CancellationToken cancellationToken)
    {
        var keys = await store.KeysAsync(cancellationToken).ConfigureAwait(false);
        foreach (var key in keys)
        {
            var (pk, sk) = (key.Split('|')[0], key.Split('|')[1]);
            var written = pk == Keys.User(NewMember) || pk == Keys.User(Impostor) || HoldsEmail(pk) || HoldsEmail(sk) || pk.Contains(NewPhone, StringComparison.Ordinal);
            if (written)
                await store.Client.DeleteItemAsync(store.TableName, Keys.ItemKey(pk, sk), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool HoldsEmail(Dictionary<string, AttributeValue> item) =>
        HoldsEmail(Text(item, Keys.PartitionKey)) || HoldsEmail(Text(item, Keys.SortKey));

    private static bool HoldsEmail(string? value) => value?.Contains(NewEmail, StringComparison.OrdinalIgnoreCase) == true;

    private static string? Text(Dictionary<string, AttributeValue> item, string attribute) => item.TryGetValue(attribute, out var value) ? value.S : null;

    private static Dictionary<string, AttributeValue> KeyOf(Dictionary<string, AttributeValue> item) =>
        Keys.ItemKey(Text(item, Keys.PartitionKey) ?? "", Text(item, Keys.SortKey) ?? "");

    private static string Key(Dictionary<string, AttributeValue> item) => $"(pk = '{Text(item, Keys.PartitionKey)}', sk = '{Text(item, Keys.SortKey)}')";
}
