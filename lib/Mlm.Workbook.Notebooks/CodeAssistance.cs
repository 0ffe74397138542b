using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;

namespace Mlm.Workbook.Notebooks;

/// <summary>Completions offered at the cursor, and the span of the cell they replace.</summary>
/// <param name="Matches">The names to offer, best first.</param>
/// <param name="CursorStart">Where the replaced text starts (a UTF-16 offset into the cell).</param>
/// <param name="CursorEnd">Where it ends.</param>
public sealed record CompletionResult(IReadOnlyList<string> Matches, int CursorStart, int CursorEnd);

/// <summary>What inspecting a symbol shows: a mime bundle with text/plain and text/markdown.</summary>
public sealed record InspectionResult(JsonObject Data);

/// <summary>Whether a cell is a whole submission.</summary>
/// <param name="Status"><c>complete</c>, <c>incomplete</c> or <c>invalid</c>.</param>
/// <param name="Indent">For an incomplete cell, the indent of its next line.</param>
public sealed record IsCompleteResult(string Status, string Indent = "");

/// <summary>
/// Completion and inspection over the session's cells so far, through Roslyn's own completion service. The cells
/// that ran are put into one script document (their usings first), followed by the cell being typed, so that names
/// declared in earlier cells, the kernel's globals and every referenced assembly are offered.
/// </summary>
internal sealed partial class CodeAssistance(ScriptKernel kernel)
{
    private static readonly Lazy<MefHostServices> Host = new(() => MefHostServices.Create(MefHostServices.DefaultAssemblies));
    private static readonly ConcurrentDictionary<string, MetadataReference> DocumentedReferences = new(StringComparer.Ordinal);
    private static readonly CSharpParseOptions ScriptParsing = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    public async Task<CompletionResult> CompleteAsync(string source, int cursor, CancellationToken cancellationToken)
    {
        cursor = Math.Clamp(cursor, 0, source.Length);
        var (document, offset) = CreateDocument(source);
        var service = CompletionService.GetService(document);
        if (service is null) return new CompletionResult([], cursor, cursor);
        var completions = await service.GetCompletionsAsync(document, offset + cursor, cancellationToken: cancellationToken).ConfigureAwait(false);
        var span = completions.Span;
        var typed = (await document.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString(span);
        var matches = completions.ItemsList
            .Where(item => item.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(item => item.FilterText.StartsWith(typed, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(item => item.SortText, StringComparer.OrdinalIgnoreCase)
            .Select(item => item.DisplayText)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new CompletionResult(matches, span.Start - offset, span.End - offset);
    }

    public async Task<InspectionResult?> InspectAsync(string source, int cursor, CancellationToken cancellationToken)
    {
        cursor = Math.Clamp(cursor, 0, source.Length);
        var (document, offset) = CreateDocument(source);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || root is null) return null;
        var position = offset + cursor;
        // At the end of a name (`Console.WriteLine|`) the token is the one before the cursor.
        var token = root.FindToken(position);
        if (!token.IsKind(SyntaxKind.IdentifierToken) && position > offset) token = root.FindToken(position - 1);
        if (token.Parent is not { } node) return null;
        var symbol = model.GetSymbolInfo(node, cancellationToken).Symbol
                     ?? model.GetSymbolInfo(node, cancellationToken).CandidateSymbols.FirstOrDefault()
                     ?? model.GetDeclaredSymbol(node, cancellationToken)
                     ?? (node.Parent is { } parent ? model.GetSymbolInfo(parent, cancellationToken).Symbol : null);
        if (symbol is null) return null;
        var signature = symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        var summary = Summary(symbol);
        var plain = summary is null ? signature : $"{signature}\n\n{summary}";
        var markdown = summary is null ? $"```csharp\n{signature}\n```" : $"```csharp\n{signature}\n```\n\n{summary}";
        return new InspectionResult(new JsonObject { ["text/plain"] = plain, ["text/markdown"] = markdown });
    }

    public static IsCompleteResult IsComplete(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(BlankCellLanguage(source), ScriptParsing);
        if (!SyntaxFactory.IsCompleteSubmission(tree)) return new IsCompleteResult("incomplete", "    ");
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
            ? new IsCompleteResult("invalid")
            : new IsCompleteResult("complete");
    }

    /// <summary>One script document: every earlier cell's usings, then their code, then the cell being typed.</summary>
    private (Document Document, int Offset) CreateDocument(string source)
    {
        var usings = new List<string>();
        var bodies = new List<string>();
        var references = new Dictionary<string, MetadataReference>(StringComparer.Ordinal);
        foreach (var reference in ResolvedReferences(kernel.Options)) AddReference(references, reference);
        var submissions = new List<Script>();
        for (var script = (Script?)kernel.State?.Script; script is not null; script = script.Previous) submissions.Insert(0, script);
        foreach (var submission in submissions)
        {
            foreach (var reference in submission.GetCompilation().References.OfType<PortableExecutableReference>()) AddReference(references, reference);
            var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(BlankCellLanguage(submission.Code), ScriptParsing).GetRoot();
            usings.AddRange(root.Usings.Select(u => u.ToString()));
            bodies.Add(string.Concat(root.Members.Select(m => m.ToFullString())));
        }
        var prefix = string.Join("\n", usings.Distinct(StringComparer.Ordinal)) + "\n" + string.Join("\n", bodies) + "\n";
        var text = prefix + BlankCellLanguage(source);

        var workspace = new AdhocWorkspace(Host.Value);
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Create(), "cells", "cells", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: ScriptKernel.DefaultImports),
            parseOptions: ScriptParsing,
            metadataReferences: references.Values,
            isSubmission: true,
            hostObjectType: typeof(KernelGlobals)));
        var document = workspace.AddDocument(DocumentInfo.Create(
            DocumentId.CreateNewId(project.Id), "cell.csx", sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text), VersionStamp.Create()))));
        return (document, prefix.Length);
    }

    /// <summary>The options' references as files: the framework assemblies named by name resolved as a compile resolves them.</summary>
    private static IEnumerable<PortableExecutableReference> ResolvedReferences(ScriptOptions options) =>
        options.MetadataReferences.SelectMany(reference => reference switch
        {
            PortableExecutableReference file => [file],
            UnresolvedMetadataReference named when options.MetadataResolver is { } resolver =>
                resolver.ResolveReference(named.Reference, null, named.Properties).AsEnumerable(),
            _ => [],
        });

    /// <summary>A reference with its XML documentation: beside the assembly, or for the framework in its reference pack.</summary>
    private static void AddReference(Dictionary<string, MetadataReference> references, PortableExecutableReference reference)
    {
        if (reference.FilePath is not { } path || references.ContainsKey(path)) return;
        references[path] = DocumentedReferences.GetOrAdd(path, file =>
        {
            var xml = DocumentationFile(file);
            return xml is null ? reference : MetadataReference.CreateFromFile(file, documentation: XmlDocumentationProvider.CreateFromFile(xml));
        });
    }

    private static string? DocumentationFile(string assembly)
    {
        var beside = Path.ChangeExtension(assembly, ".xml");
        if (File.Exists(beside)) return beside;
        // The shared framework ships no XML docs; the reference pack of the same SDK does.
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        if (!string.Equals(Path.GetDirectoryName(assembly), framework, StringComparison.Ordinal)) return null;
        var root = Path.GetFullPath(Path.Combine(framework, "..", "..", ".."));
        var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs)) return null;
        var tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        return Directory.GetDirectories(packs).OrderDescending(StringComparer.Ordinal)
            .Select(pack => Path.Combine(pack, "ref", tfm, Path.GetFileNameWithoutExtension(assembly) + ".xml"))
            .FirstOrDefault(File.Exists);
    }

    private static string? Summary(ISymbol symbol)
    {
        var xml = (symbol is IMethodSymbol { ReducedFrom: { } extension } ? extension : symbol).GetDocumentationCommentXml();
        if (string.IsNullOrWhiteSpace(xml)) return null;
        try
        {
            var summary = XDocument.Parse(xml).Descendants("summary").FirstOrDefault();
            if (summary is null) return null;
            var text = string.Concat(summary.Nodes().Select(node => node switch
            {
                XElement { Name.LocalName: "see" or "seealso" } see => ((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? see.Value).Split(':').Last(),
                XElement element => element.Value,
                _ => node.ToString(),
            }));
            return Whitespace().Replace(text, " ").Trim();
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>A cell with its cell-language lines (<c>#!kernel</c>, <c>#r "nuget: …"</c>, <c>#r</c>, <c>#load</c>) blanked, offsets kept.</summary>
    private static string BlankCellLanguage(string source) =>
        CellLanguageLine().Replace(source.Replace("\r\n", "\n"), match => new string(' ', match.Length));

    [GeneratedRegex(@"^[ \t]*#(!|r\s|load\s|i\s).*$", RegexOptions.Multiline)]
    private static partial Regex CellLanguageLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
