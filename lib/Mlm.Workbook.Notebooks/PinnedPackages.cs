using System.Text.Json;
using System.Xml.Linq;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// Answers <c>#r "nuget: Name, Version"</c> from the packages this repository pins, never from a package feed:
/// the version must be the pinned one, and the assemblies are the ones this process was built with
/// (found through its <c>.deps.json</c>), so a notebook compiles against exactly what it runs on.
/// </summary>
public sealed class PinnedPackages
{
    private readonly IReadOnlyDictionary<string, string> _pins;
    private readonly IReadOnlyDictionary<string, Library> _libraries;

    private sealed record Library(string Name, string Version, IReadOnlyList<string> Assemblies, IReadOnlyList<string> Dependencies);

    private PinnedPackages(IReadOnlyDictionary<string, string> pins, IReadOnlyDictionary<string, Library> libraries)
    {
        _pins = pins;
        _libraries = libraries;
    }

    /// <summary>Every pinned package and its version.</summary>
    public IReadOnlyDictionary<string, string> Pins => _pins;

    /// <summary>The pins built into this assembly and the libraries of the running application.</summary>
    public static PinnedPackages ForThisProcess()
    {
        using var stream = typeof(PinnedPackages).Assembly.GetManifestResourceStream("PinnedPackages.props")
            ?? throw new InvalidOperationException("The pinned package list is missing from the runner.");
        var pins = XDocument.Load(stream).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
        return new PinnedPackages(pins, ReadDependencyFiles());
    }

    /// <summary>Whether the repository pins this package (at whatever version).</summary>
    public bool IsPinned(string name) => _pins.ContainsKey(name);

    /// <summary>The assembly files to reference for a request, the package's dependencies included.</summary>
    /// <exception cref="ArgumentException">The package is not pinned, the version is not the pinned one, or the runner does not carry it.</exception>
    public IReadOnlyList<string> Resolve(PackageRequest request)
    {
        if (!_pins.TryGetValue(request.Name, out var pinned))
            throw new ArgumentException(
                $"the package {request.Name} is not pinned in Directory.Packages.props (pinned: {string.Join(", ", _pins.Keys.Order())}).");
        if (request.Version is null)
            throw new ArgumentException($"#r \"nuget: {request.Name}\" gives no version; write the pinned one: #r \"nuget: {request.Name}, {pinned}\".");
        if (request.Version != pinned)
            throw new ArgumentException($"{request.Name} {request.Version} is not the pinned version; Directory.Packages.props pins {request.Name} {pinned}.");
        if (!_libraries.TryGetValue(request.Name, out var library))
            throw new ArgumentException($"{request.Name} {pinned} is pinned, but the notebook runner is not built with it, so it cannot load it.");

        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<Library>([library]);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next.Name)) continue;
            files.AddRange(next.Assemblies);
            foreach (var dependency in next.Dependencies)
                if (_libraries.TryGetValue(dependency, out var child)) pending.Push(child);
        }
        return files.Where(File.Exists).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static Dictionary<string, Library> ReadDependencyFiles()
    {
        var libraries = new Dictionary<string, Library>(StringComparer.OrdinalIgnoreCase);
        var files = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries); // ';' on every platform
        foreach (var file in files.Where(File.Exists))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            var targetName = root.GetProperty("runtimeTarget").GetProperty("name").GetString()!;
            foreach (var entry in root.GetProperty("targets").GetProperty(targetName).EnumerateObject())
            {
                var slash = entry.Name.IndexOf('/');
                var name = entry.Name.Substring(0, slash);
                var assemblies = entry.Value.TryGetProperty("runtime", out var runtime)
                    ? runtime.EnumerateObject().Select(a => Path.Combine(AppContext.BaseDirectory, Path.GetFileName(a.Name))).ToList()
                    : [];
                var dependencies = entry.Value.TryGetProperty("dependencies", out var deps)
                    ? deps.EnumerateObject().Select(d => d.Name).ToList()
                    : [];
                libraries.TryAdd(name, new Library(name, entry.Name.Substring(slash + 1), assemblies, dependencies));
            }
        }
        return libraries;
    }
}
