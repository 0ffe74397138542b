using System.Text.RegularExpressions;

namespace Mlm.Workbook.Notebooks;

/// <summary>A package asked for with <c>#r "nuget: Name, Version"</c>, and the cell line that asked.</summary>
public sealed record PackageRequest(string Name, string? Version, int Line);

/// <summary>A cell that cannot run here, with the reason and the line (1-based) it concerns.</summary>
public sealed class CellLanguageException(string message, int line) : Exception(message)
{
    /// <summary>The line of the cell the problem is on.</summary>
    public int Line { get; } = line;
}

/// <summary>
/// The Polyglot C# cell language outside Roslyn's own: the kernel selector (<c>#!csharp</c>), magic commands,
/// and <c>#r "nuget: …"</c> lines, which the kernel hoists and restores before it compiles the cell.
/// What remains is plain C# script, with the same line numbers as the cell.
/// </summary>
public static partial class CellSource
{
    private static readonly HashSet<string> CSharpKernelNames = new(StringComparer.OrdinalIgnoreCase) { "csharp", "c#", "C#" };

    /// <summary>The C# of a cell and the packages it asks for.</summary>
    public sealed record Parsed(string Code, IReadOnlyList<PackageRequest> Packages);

    /// <summary>Splits a cell into C# and package requests.</summary>
    /// <param name="source">The cell's text.</param>
    /// <param name="cellKernel">The kernel named in the cell's metadata, if any.</param>
    /// <param name="notebookKernel">The notebook's default kernel.</param>
    /// <exception cref="CellLanguageException">The cell is for another kernel or uses a magic command this runner does not provide.</exception>
    public static Parsed Parse(string source, string? cellKernel, string notebookKernel)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var kernel = cellKernel ?? notebookKernel;
        var packages = new List<PackageRequest>();
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            var lineNumber = index + 1;
            if (line.StartsWith("#!", StringComparison.Ordinal))
            {
                var magic = line.Substring(2).Split(' ', 2)[0];
                if (CSharpKernelNames.Contains(magic))
                {
                    kernel = "csharp";
                }
                else if (KnownKernels.Contains(magic))
                {
                    throw new CellLanguageException($"this cell is for the {magic} kernel (#!{magic}); the runner runs C# cells only.", lineNumber);
                }
                else
                {
                    throw new CellLanguageException($"#!{magic} is a Polyglot magic command this runner does not provide; it runs C#, display() and #r/#load only.", lineNumber);
                }
                lines[index] = "";
                continue;
            }
            if (line.StartsWith("#i ", StringComparison.Ordinal))
                throw new CellLanguageException("#i adds a package source; this runner resolves only the packages Directory.Packages.props pins.", lineNumber);
            var nuget = NugetReference().Match(line);
            if (nuget.Success)
            {
                var version = nuget.Groups["version"].Success ? nuget.Groups["version"].Value.Trim() : null;
                packages.Add(new PackageRequest(nuget.Groups["name"].Value.Trim(), string.IsNullOrEmpty(version) ? null : version, lineNumber));
                lines[index] = "";
            }
        }
        if (!CSharpKernelNames.Contains(kernel))
            throw new CellLanguageException($"this cell is for the {kernel} kernel; the runner runs C# cells only.", 1);
        return new Parsed(string.Join("\n", lines), packages);
    }

    private static readonly HashSet<string> KnownKernels = new(StringComparer.OrdinalIgnoreCase)
    {
        "fsharp", "f#", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md", "sql", "kql", "mermaid", "http", "python", "r", "value",
    };

    [GeneratedRegex("""^#r\s+"nuget:\s*(?<name>[^,"]+?)\s*(,\s*(?<version>[^"]*))?"\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex NugetReference();
}
