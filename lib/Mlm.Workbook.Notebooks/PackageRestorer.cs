using System.Text.Json;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// Restores a package the repository does not pin, as Polyglot does for <c>#r "nuget: Name, Version"</c>: a small
/// project of its own, outside the repository (so the repository's central pins do not apply), restored with the
/// SDK; the assemblies come from the restore's assets file. Each name and version is restored once per machine.
/// </summary>
internal static class PackageRestorer
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "mlm-workbook-packages");

    /// <summary>The runtime assemblies of the package and its dependencies.</summary>
    /// <exception cref="ArgumentException">The restore failed; the message carries what the SDK said.</exception>
    public static async Task<IReadOnlyList<string>> RestoreAsync(string name, string? version, CancellationToken cancellationToken)
    {
        var wanted = string.IsNullOrEmpty(version) ? "*" : version;
        var folder = Path.Combine(Root, $"{name}-{(wanted == "*" ? "latest" : wanted)}".ToLowerInvariant());
        Directory.CreateDirectory(folder);
        var assets = Path.Combine(folder, "obj", "project.assets.json");
        // Written after a restore that succeeded: a failed one leaves an assets file too.
        var restored = Path.Combine(folder, "restored");
        if (!File.Exists(restored) || wanted == "*")
        {
            File.Delete(restored);
            File.WriteAllText(Path.Combine(folder, "restore.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="{System.Security.SecurityElement.Escape(name)}" Version="{System.Security.SecurityElement.Escape(wanted)}" />
                  </ItemGroup>
                </Project>
                """);
            var restore = await ExternalProgram.RunAsync("dotnet", ["restore", "--nologo", "-v", "q", folder], cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException("dotnet could not be started to restore packages.");
            if (restore.ExitCode != 0)
                throw new ArgumentException($"the package {name} {wanted} could not be restored:\n{restore.AllOutput.Trim()}");
            File.WriteAllText(restored, "");
        }
        return RuntimeAssemblies(assets);
    }

    private static List<string> RuntimeAssemblies(string assetsFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(assetsFile));
        var root = document.RootElement;
        var packageFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
        var libraries = root.GetProperty("libraries");
        var files = new List<string>();
        foreach (var target in root.GetProperty("targets").EnumerateObject().First().Value.EnumerateObject())
        {
            if (!target.Value.TryGetProperty("runtime", out var runtime)) continue;
            var libraryPath = libraries.GetProperty(target.Name).GetProperty("path").GetString()!;
            files.AddRange(runtime.EnumerateObject()
                .Where(file => file.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                .Select(file => Path.Combine(packageFolder, libraryPath, file.Name)));
        }
        return files.Where(File.Exists).ToList();
    }
}
