using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// Members as a registry: adding, changing and removing members in transactions that keep ids, emails and phones
/// unique (with marker items, see <see cref="Keys.Marker"/>) and the recruiting tree a tree.
/// </summary>
internal sealed class MemberRegistry(MlmStore store)
{
    private readonly MlmStore _store = store;
    private readonly IAmazonDynamoDB _client = store.Client;
    private readonly string _tableName = store.TableName;

    /// <summary>
    /// Adds a member in one transaction: the profile, and a marker item for its email and for its phone, each
    /// written only if no such item exists, and only if the recruiter exists. A taken id, email or phone is
    /// refused with <see cref="DuplicateValueException"/> naming the field, and then nothing is written.
    /// </summary>
    /// <exception cref="ArgumentException">A value is malformed, or the member recruits itself, or a non-root member has no recruiter.</exception>
    /// <exception cref="DuplicateValueException">The id, email or phone is taken.</exception>
    /// <exception cref="InvalidOperationException">The recruiter does not exist.</exception>
    internal async Task RegisterMemberAsync(Member member, CancellationToken cancellationToken = default)
    {
        member = Validated(member);
        await EnsureNotHeldByAnotherAsync(member.Id, member.Email, member.Phone, cancellationToken).ConfigureAwait(false);
        var profile = member.ToItem();
        var writes = new List<(TransactWriteItem Write, Func<Exception> Refusal)>
        {
            (PutIfAbsent(profile), () => new DuplicateValueException("id", member.Id)),
            (PutIfAbsent(Keys.Marker(Keys.EmailMarker(member.Email), member.Id)), () => new DuplicateValueException("email", member.Email)),
            (PutIfAbsent(Keys.Marker(Keys.PhoneMarker(member.Phone), member.Id)), () => new DuplicateValueException("phone", member.Phone)),
        };
        if (member.RecruitedBy is { } recruiter)
            writes.Add((new TransactWriteItem
            {
                ConditionCheck = new ConditionCheck
                {
                    TableName = _tableName,
                    Key = Keys.ProfileKey(recruiter),
                    ConditionExpression = "attribute_exists(pk)",
                },
            }, () => new InvalidOperationException($"The recruiter {Keys.User(recruiter)} does not exist; register the recruiter first.")));
        await TransactAsync(writes, cancellationToken).ConfigureAwait(false);
        await WaitForIndexesAsync(async () =>
            await ShowsAsync(_store.FindMemberByEmailAsync(member.Email, cancellationToken), member.Id).ConfigureAwait(false)
            && await ShowsAsync(_store.FindMemberByPhoneAsync(member.Phone, cancellationToken), member.Id).ConfigureAwait(false)
            && (member.RecruitedBy is not { } recruiter || await ShowsAsync(_store.GetDownlineAsync(recruiter, cancellationToken), member.Id).ConfigureAwait(false)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// On AWS global secondary indexes are eventually consistent: an index read right after a write may not show it yet
    /// (usually for well under a second). So that the lookups and the recruit check that follow a registry write see it,
    /// the write returns once the indexes show it, or after <see cref="IndexWait"/>, past which reads may still lag.
    /// DynamoDB Local's indexes are current at once, so there nothing is waited for.
    /// </summary>
    private async Task WaitForIndexesAsync(Func<Task<bool>> shown, CancellationToken cancellationToken)
    {
        if (!Endpoints.IsAws(_client)) return;
        var started = DateTime.UtcNow;
        var delay = TimeSpan.FromMilliseconds(100);
        while (!await shown().ConfigureAwait(false) && DateTime.UtcNow - started < IndexWait)
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    /// <summary>The longest a registry write waits for the indexes to show it (on AWS).</summary>
    internal static readonly TimeSpan IndexWait = TimeSpan.FromSeconds(10);

    private static async Task<bool> ShowsAsync(Task<ReadResult> read, string memberId) =>
        (await read.ConfigureAwait(false)).Members().Any(m => m.Id == memberId);

    /// <summary>
    /// Changes a member's email and/or phone in one transaction: the profile is updated only if it still holds the
    /// old values, the old markers are deleted and the new ones written only if free.
    /// </summary>
    /// <exception cref="DuplicateValueException">The new email or phone is taken; nothing changed.</exception>
    /// <exception cref="InvalidOperationException">The member does not exist, or changed meanwhile.</exception>
    internal async Task ChangeContactAsync(string memberId, string? newEmail = null, string? newPhone = null, CancellationToken cancellationToken = default)
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
                    TableName = _tableName,
                    Key = Keys.ProfileKey(current.Id),
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
            writes.Add((PutIfAbsent(Keys.Marker(Keys.EmailMarker(email), current.Id)), () => new DuplicateValueException("email", email)));
        }
        if (Keys.PhoneMarker(phone) != Keys.PhoneMarker(current.Phone))
        {
            writes.Add((DeleteMarker(Keys.PhoneMarker(current.Phone), current.Id), () => new InvalidOperationException($"The marker of {current.Phone} is missing.")));
            writes.Add((PutIfAbsent(Keys.Marker(Keys.PhoneMarker(phone), current.Id)), () => new DuplicateValueException("phone", phone)));
        }
        if (writes.Count == 1 && email == current.Email && phone == current.Phone) return;
        await TransactAsync(writes, cancellationToken).ConfigureAwait(false);
        await WaitForIndexesAsync(async () =>
            await ShowsAsync(_store.FindMemberByEmailAsync(email, cancellationToken), current.Id).ConfigureAwait(false)
            && await ShowsAsync(_store.FindMemberByPhoneAsync(phone, cancellationToken), current.Id).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a member who recruited nobody: the profile and its two markers, in one transaction.</summary>
    /// <exception cref="InvalidOperationException">The member does not exist or has recruits.</exception>
    internal async Task RemoveMemberAsync(string memberId, CancellationToken cancellationToken = default)
    {
        var current = await ReadProfileAsync(memberId, cancellationToken).ConfigureAwait(false);
        if ((await _store.GetDownlineAsync(current.Id, cancellationToken).ConfigureAwait(false)).Count > 0)
            throw new InvalidOperationException($"Member {Keys.User(current.Id)} has recruits; removing it would break the tree.");
        var writes = new List<(TransactWriteItem Write, Func<Exception> Refusal)>
        {
            (new TransactWriteItem
            {
                Delete = new Delete
                {
                    TableName = _tableName, Key = Keys.ProfileKey(current.Id),
                    ConditionExpression = "email = :email",
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":email"] = ItemValues.S(current.Email) },
                },
            }, () => new InvalidOperationException($"Member {Keys.User(current.Id)} changed while it was being removed.")),
            (DeleteMarker(Keys.EmailMarker(current.Email), current.Id), () => new InvalidOperationException($"The marker of {current.Email} is missing.")),
            (DeleteMarker(Keys.PhoneMarker(current.Phone), current.Id), () => new InvalidOperationException($"The marker of {current.Phone} is missing.")),
        };
        await TransactAsync(writes, cancellationToken).ConfigureAwait(false);
        await WaitForIndexesAsync(async () =>
            !await ShowsAsync(_store.FindMemberByEmailAsync(current.Email, cancellationToken), current.Id).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    // Seeded members have no markers, so their values are looked up in the lookup indexes first;
    // the markers written in the transaction then guard against two changes racing each other.
    private async Task EnsureNotHeldByAnotherAsync(string memberId, string email, string phone, CancellationToken cancellationToken)
    {
        if ((await _store.FindMemberByEmailAsync(email, cancellationToken).ConfigureAwait(false)).Members().Any(m => m.Id != memberId))
            throw new DuplicateValueException("email", email);
        if ((await _store.FindMemberByPhoneAsync(phone, cancellationToken).ConfigureAwait(false)).Members().Any(m => m.Id != memberId))
            throw new DuplicateValueException("phone", phone);
    }

    private async Task<Member> ReadProfileAsync(string memberId, CancellationToken cancellationToken)
    {
        var key = Keys.ProfileKey(memberId);
        var response = await Resilience.CallAsync(_client, _tableName, token => _client.GetItemAsync(new GetItemRequest { TableName = _tableName, Key = key, ConsistentRead = true }, token), cancellationToken)
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
            await Resilience.CallAsync(_client, _tableName, token => _client.TransactWriteItemsAsync(request, token), cancellationToken).ConfigureAwait(false);
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
        Put = new Put { TableName = _tableName, Item = item, ConditionExpression = "attribute_not_exists(pk)" },
    };

    private TransactWriteItem DeleteMarker(string markerKey, string memberId) => new()
    {
        Delete = new Delete
        {
            TableName = _tableName,
            Key = Keys.MarkerKey(markerKey),
            ConditionExpression = $"{Attributes.MemberKey} = :member",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":member"] = ItemValues.S(Keys.User(memberId)) },
        },
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

}
