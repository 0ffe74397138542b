using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook;

/// <summary>
/// A member of the MLM organisation: item <c>pk=USER#004</c>, <c>sk=PROFILE</c>.
/// </summary>
/// <param name="Id">The member id, three digits or more: <c>"004"</c>.</param>
/// <param name="RecruitedBy">The recruiter's id, or null for the root of the organisation.</param>
/// <param name="Name">Full name.</param>
/// <param name="Email">Email address, unique among members.</param>
/// <param name="Phone">Phone number, unique among members.</param>
/// <param name="Address">Postal address, possibly over several lines.</param>
/// <param name="CreatedAt">When the member joined, ISO 8601.</param>
public sealed record Member(string Id, string? RecruitedBy, string Name, string Email, string Phone, string Address, string CreatedAt)
{
    /// <summary>The partition key, <c>USER#004</c>.</summary>
    public string PartitionKey => Keys.User(Id);

    /// <summary>The sort key, always <c>PROFILE</c>.</summary>
    public string SortKey => Keys.Profile;

    /// <summary>
    /// The item as stored. A member without a recruiter has no <c>recruited_by</c> attribute at all,
    /// which keeps it out of the sparse <c>recruited_by-index</c>.
    /// </summary>
    public Dictionary<string, AttributeValue> ToItem()
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.PartitionKey] = ItemValues.S(PartitionKey),
            [Keys.SortKey] = ItemValues.S(SortKey),
        };
        if (RecruitedBy is not null) item[Attributes.RecruitedBy] = ItemValues.S(Keys.User(RecruitedBy));
        item[Attributes.Name] = ItemValues.S(Name);
        item[Attributes.Email] = ItemValues.S(Email);
        item[Attributes.Phone] = ItemValues.S(Phone);
        item[Attributes.Address] = ItemValues.S(Address);
        item[Attributes.CreatedAt] = ItemValues.S(CreatedAt);
        return item;
    }

    /// <summary>Reads a member from a profile item.</summary>
    /// <exception cref="FormatException">The item is not a member profile.</exception>
    public static Member FromItem(IReadOnlyDictionary<string, AttributeValue> item)
    {
        if (!IsMember(item)) throw new FormatException("The item is not a member profile (sk is not PROFILE).");
        var recruiter = ItemValues.OptionalString(item, Attributes.RecruitedBy);
        return new Member(
            Keys.MemberIdOf(ItemValues.RequiredString(item, Keys.PartitionKey)),
            recruiter is null ? null : Keys.MemberIdOf(recruiter),
            ItemValues.RequiredString(item, Attributes.Name),
            ItemValues.RequiredString(item, Attributes.Email),
            ItemValues.RequiredString(item, Attributes.Phone),
            ItemValues.RequiredString(item, Attributes.Address),
            ItemValues.RequiredString(item, Attributes.CreatedAt));
    }

    /// <summary>Whether an item is a member profile.</summary>
    public static bool IsMember(IReadOnlyDictionary<string, AttributeValue> item) =>
        ItemValues.OptionalString(item, Keys.SortKey) == Keys.Profile;
}
