namespace Mlm.Workbook;

/// <summary>Attribute names of the items, as the exercise spells them.</summary>
public static class Attributes
{
    /// <summary>Who recruited a member (a member key); the partition key of <c>recruited_by-index</c>.</summary>
    public const string RecruitedBy = "recruited_by";
    /// <summary>A member's name.</summary>
    public const string Name = "name";
    /// <summary>A member's email; the partition key of <c>email-index</c>.</summary>
    public const string Email = "email";
    /// <summary>A member's phone; the partition key of <c>phone-index</c>.</summary>
    public const string Phone = "phone";
    /// <summary>A member's postal address.</summary>
    public const string Address = "address";
    /// <summary>When the item was created, ISO 8601.</summary>
    public const string CreatedAt = "created_at";
    /// <summary>The day of a sale (<c>DATE#yyyymmdd</c>); the partition key of the date index.</summary>
    public const string SaleDate = "sale_date";
    /// <summary>A sale's reference (<c>USER#004#SALE#001</c>); the sort key of both sale indexes.</summary>
    public const string SaleReference = "sale_reference";
    /// <summary>A sale's amount, a number with two decimal places.</summary>
    public const string Amount = "amount";
    /// <summary>What was sold.</summary>
    public const string Item = "item";
    /// <summary>On a sale of the realistic data set: the product's id in the catalogue (<c>P07</c>).</summary>
    public const string ProductId = "product_id";
    /// <summary>On a sale of the realistic data set: the product's category.</summary>
    public const string Category = "category";
    /// <summary>On a sale of the realistic data set: the price of one unit, two decimal places.</summary>
    public const string UnitPrice = "unit_price";
    /// <summary>On a sale of the realistic data set: how many units were sold; the amount is unit price × quantity.</summary>
    public const string Quantity = "quantity";
    /// <summary>On a uniqueness marker item: the member key (<c>USER#004</c>) that holds the email or phone.</summary>
    public const string MemberKey = "member_key";
    /// <summary>On the seeding guard item: what identifies the data set being seeded.</summary>
    public const string DataSet = "data_set";
    /// <summary>On the seeding guard item: the data set in words.</summary>
    public const string DataSetDescription = "data_set_description";
}
