namespace Mlm.Workbook;

/// <summary>The table the store works on does not exist.</summary>
public sealed class TableNotFoundException(string tableName) : InvalidOperationException(
    $"Table \"{tableName}\" does not exist. Create it first: run notebooks/01-create-table.ipynb, " +
    "or `dotnet run --project lib/Mlm.Workbook.Cli -- seed`, or set MLM_TABLE to a table that exists.")
{
    /// <summary>The missing table.</summary>
    public string TableName { get; } = tableName;
}

/// <summary>Nothing answers at the DynamoDB endpoint, even after retrying.</summary>
public sealed class DynamoDbUnreachableException(string endpoint, Exception inner) : Exception(
    $"Nothing answers at {endpoint}. Start DynamoDB Local (`dotnet run --project lib/Mlm.Workbook.Cli -- dynamodb start`), " +
    "or fix AWS_ENDPOINT_URL_DYNAMODB, or unset it to let the workbook start its own.", inner)
{
    /// <summary>The endpoint that did not answer.</summary>
    public string Endpoint { get; } = endpoint;
}

/// <summary>A value that must be unique (an id, an email, a phone) is already taken; nothing was written.</summary>
public sealed class DuplicateValueException(string field, string value) : InvalidOperationException(
    $"The {field} \"{value}\" is already taken by another member; nothing was written.")
{
    /// <summary>Which field: <c>id</c>, <c>email</c> or <c>phone</c>.</summary>
    public string Field { get; } = field;

    /// <summary>The value that is taken.</summary>
    public string Value { get; } = value;
}
