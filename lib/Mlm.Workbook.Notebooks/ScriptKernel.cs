using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Mlm.Workbook.Notebooks;

/// <summary>How a cell ended.</summary>
/// <param name="Succeeded">False when the cell raised an error output.</param>
/// <param name="Error">The error text, when it failed.</param>
/// <param name="Interrupted">The cell was stopped (an interrupt or a time limit) before it ended.</param>
public sealed record CellRun(bool Succeeded, string? Error, bool Interrupted = false);

/// <summary>
/// One notebook's C# session, with the Polyglot C# kernel's semantics: Roslyn scripting where the first cell
/// starts the script and each later cell continues its state; the latest language version; the kernel's
/// default imports; top-level <c>await</c>; a trailing expression becomes the cell's result; compiler warnings
/// are shown on stderr; a cell that throws keeps what it declared before the throw.
/// </summary>
internal sealed class ScriptKernel
{
    /// <summary>The namespaces the Polyglot C# kernel imports by default.</summary>
    public static readonly string[] DefaultImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    private static readonly Lazy<IReadOnlyList<MetadataReference>> KernelReferences = new(BuildKernelReferences);

    // One reference per assembly file for the whole process: Roslyn keeps an assembly's decoded metadata with its
    // reference, so every session after the first (and a kernel's first cell, after the warm-up) skips decoding it.
    private static readonly ConcurrentDictionary<string, MetadataReference> FileReferences = new(StringComparer.Ordinal);

    /// <summary>The process's one reference to an assembly file.</summary>
    internal static MetadataReference FileReference(string path) => FileReferences.GetOrAdd(path, file => MetadataReference.CreateFromFile(file));

    // Names a notebook written for Polyglot may use that only the real kernel has.
    private static readonly string[] PolyglotOnlyNames = ["Kernel", "KernelInvocationContext", "GetInputAsync", "GetPasswordAsync", "CSharpKernel", "KernelCommand"];

    // How long an interrupted compile may take to end before the user is told the cell's code is still running.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private readonly KernelGlobals _globals = new();
    private readonly HashSet<string> _referencedFiles = new(StringComparer.OrdinalIgnoreCase);
    private ScriptOptions _options;
    private ScriptState<object>? _state;

    public ScriptKernel(string notebookDirectory)
    {
        _options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithImports(DefaultImports)
            .WithReferences(KernelReferences.Value)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(notebookDirectory))
            .WithSourceResolver(new SourceFileResolver([], notebookDirectory))
            .WithFilePath(Path.Combine(notebookDirectory, "cell.csx"));
    }

    /// <summary>The options every submission compiles with, references included.</summary>
    public ScriptOptions Options => _options;

    /// <summary>The state after the last cell that compiled; null before the first.</summary>
    public ScriptState<object>? State => _state;

    /// <summary>Compiles and runs one cell's C#, sending its warnings, result or error to <paramref name="outputs"/>.</summary>
    /// <param name="code">The cell's C#, cell-language lines removed.</param>
    /// <param name="packageAssemblies">Assemblies the cell's <c>#r "nuget: …"</c> lines resolved to.</param>
    /// <param name="outputs">Where the outputs go.</param>
    /// <param name="cancellationToken">Stops waiting for the cell: it ends as interrupted, and the session stays usable.</param>
    public async Task<CellRun> RunAsync(string code, IEnumerable<string> packageAssemblies, ICellOutputSink outputs, CancellationToken cancellationToken)
    {
        var newFiles = packageAssemblies.Where(_referencedFiles.Add).ToList();
        if (newFiles.Count > 0) _options = _options.AddReferences(newFiles.Select(FileReference));

        var previous = _state;
        var script = previous is null
            ? CSharpScript.Create<object>(code, _options, typeof(KernelGlobals))
            : previous.Script.ContinueWith<object>(code, _options);
        var compilation = script.GetCompilation();
        // On a thread of its own, so that a cell that never awaits still leaves this method free to notice an interrupt.
        // The warnings come first and the compile reuses what finding them bound: as quick as working both out side by
        // side (measured), with less CPU on a busy machine. The token stops the compile; once the cell's code runs, C# offers no way to stop it.
        // RunAsync returns when the code first awaits something unfinished (or ends), so until then the cell is
        // compiling or running without awaiting.
        (List<string> Warnings, bool HasValue) analysis = ([], false);
        var awaitedOrEnded = 0;
        var (thread, run) = CellThread.Start(() =>
        {
            analysis = (Warnings(compilation.GetDiagnostics(cancellationToken)), EndsWithValue(compilation));
            // Every exception of the cell's code ends up in the state, except the token's own, which means "not run".
            Func<Exception, bool> keep = e => !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);
            var running = previous is null
                ? script.RunAsync(_globals, keep, cancellationToken)
                : script.RunFromAsync(previous, keep, cancellationToken);
            Volatile.Write(ref awaitedOrEnded, 1);
            return running;
        });
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => stopped.TrySetResult()))
        {
            if (await Task.WhenAny(run, stopped.Task).ConfigureAwait(false) != run)
            {
                // A cell that awaits simply stays behind; one that never awaits keeps its thread, and only a restart ends it.
                // The grace lets an interrupted compile, which does stop, end first.
                var stillRunning = await Task.WhenAny(run, Task.Delay(StopGrace)).ConfigureAwait(false) != run
                                   && Volatile.Read(ref awaitedOrEnded) == 0;
                if (!stillRunning) return Interrupted("The cell was interrupted.");
                var lowered = thread.Lower() ? " It goes on at the lowest CPU priority, so it takes only idle CPU." : "";
                return Interrupted($"The cell was interrupted, but its code is still running: C# cannot stop code that never awaits (a loop, a blocking call).{lowered} Restart the kernel to end it.");
            }
        }

        try
        {
            _state = await run.ConfigureAwait(false);
        }
        catch (CompilationErrorException e)
        {
            ReportWarnings(Warnings(e.Diagnostics), outputs);
            var lines = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe).ToList();
            var hint = PolyglotHint(e.Diagnostics);
            if (hint is not null) lines.Add(hint);
            outputs.Error("CompilationError", string.Join("\n", lines), lines);
            return new CellRun(false, hint is null ? lines.FirstOrDefault() : $"{lines[0]} ({hint})");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Interrupted("The cell was interrupted."); // its compile stopped before the interrupt was noticed here
        }
        catch (Exception e)
        {
            return ReportException(e, outputs);
        }

        var (warnings, hasValue) = analysis;
        ReportWarnings(warnings, outputs);
        if (_state.Exception is { } thrown) return ReportException(thrown, outputs);
        if (hasValue) outputs.Result(OutputFormatter.Data(_state.ReturnValue));
        return new CellRun(true, null);

        CellRun Interrupted(string message)
        {
            outputs.Error("Interrupted", message, [message]);
            return new CellRun(false, message, Interrupted: true);
        }
    }

    private static CellRun ReportException(Exception exception, ICellOutputSink outputs)
    {
        var error = Unwrap(exception);
        var trace = new List<string> { $"{error.GetType().FullName}: {error.Message}" };
        // Only the frames of the notebook's own code: a reader needs the message and the cell, not the library's insides.
        trace.AddRange((error.StackTrace ?? "").Split('\n').Select(l => l.TrimEnd())
            .Where(l => l.Contains("Submission#", StringComparison.Ordinal)).Take(5));
        outputs.Error(error.GetType().Name, error.Message, trace);
        return new CellRun(false, $"{error.GetType().Name}: {error.Message}");
    }

    private static List<string> Warnings(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning && !d.IsSuppressed).Select(Describe).ToList();

    /// <summary>Compiler warnings go to stderr, as the .NET Interactive kernel shows them.</summary>
    private static void ReportWarnings(List<string> warnings, ICellOutputSink outputs)
    {
        if (warnings.Count > 0) outputs.Stream("stderr", string.Join("\n", warnings) + "\n");
    }

    /// <summary>Whether a submission ends with an expression that has a value (no semicolon, not void).</summary>
    private static bool EndsWithValue(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax root
            || root.Members.LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax { Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax statement }
            || !statement.SemicolonToken.IsMissing)
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var position = span.IsValid ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " : "";
        var file = diagnostic.Location.IsInSource && Path.GetFileName(span.Path) is { Length: > 0 } name && name != "cell.csx" ? name : "";
        var severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return $"{file}{position}{severity} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static string? PolyglotHint(IEnumerable<Diagnostic> diagnostics)
    {
        var used = diagnostics.Where(d => d.Id is "CS0103" or "CS0246")
            .Select(d => d.Location.SourceTree?.GetText().ToString(d.Location.SourceSpan))
            .FirstOrDefault(name => name is not null && PolyglotOnlyNames.Contains(name));
        return used is null ? null
            : $"{used} is a Polyglot Notebooks helper this runner does not provide; it offers display(), Console output, " +
              "Microsoft.DotNet.Interactive.Formatting and #r/#load.";
    }

    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => e,
    };

    /// <summary>
    /// The references the kernel gives every cell, as the .NET Interactive C# kernel gives them: Roslyn scripting's
    /// default set (named assemblies of the framework, resolved when a cell compiles), System.Linq, and the formatting
    /// library (<c>Formatter</c>, <c>PocketView</c>) that Polyglot notebooks use without a <c>#r</c>. Any other
    /// framework assembly is a <c>#r "System.Xyz"</c> away, as there. A small set also compiles each cell faster.
    /// </summary>
    internal static IReadOnlyList<MetadataReference> BuildKernelReferences() =>
        // The default set names its assemblies; resolved here once, so that no cell pays for resolving them again.
        ScriptOptions.Default.MetadataReferences
            .SelectMany(reference => reference is UnresolvedMetadataReference named
                ? ScriptMetadataResolver.Default.ResolveReference(named.Reference, null, named.Properties).Cast<MetadataReference>()
                : [reference])
            .Concat(new[]
            {
                typeof(object).Assembly, typeof(Enumerable).Assembly,
                typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly,
                typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly,
                typeof(KernelGlobals).Assembly,
            }.Select(assembly => (MetadataReference)MetadataReference.CreateFromFile(assembly.Location)))
            .ToList();
}
