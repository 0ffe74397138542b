using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// The engine one notebook runs on, shared by the headless runner, the Jupyter kernel and grading: the Polyglot C#
/// cell language, packages held to the repository's pins, a C# session whose state carries from cell to cell, and
/// outputs formatted as the kernel formats them. While a cell runs, its console output and displays go to the sink
/// it was given, its working directory is the notebook's folder, and its culture is the invariant one, so that
/// outputs read the same on every machine.
/// </summary>
public sealed class NotebookSession : IDisposable
{
    private static readonly Lazy<PinnedPackages> Packages = new(PinnedPackages.ForThisProcess);
    private readonly ScriptKernel _kernel;
    private readonly CodeAssistance _assistance;
    private readonly SemaphoreSlim _oneCellAtATime = new(1, 1);

    private readonly string? _plotlyScript;
    private int _chartsShown;

    /// <summary>A fresh session for a notebook in <paramref name="workingDirectory"/>.</summary>
    /// <param name="workingDirectory">The notebook's folder.</param>
    /// <param name="plotlyScript">plotly.js, to put into the first chart's HTML for front ends with no network; null to leave it out.</param>
    public NotebookSession(string workingDirectory, string? plotlyScript = null)
    {
        _plotlyScript = plotlyScript;
        WorkingDirectory = Path.GetFullPath(workingDirectory);
        OutputFormatter.ResetToKernelDefaults();
        OutputRouting.EnsureSubscribed();
        _kernel = new ScriptKernel(WorkingDirectory);
        _assistance = new CodeAssistance(_kernel);
    }

    /// <summary>
    /// Compiles and runs a throwaway cell in a C# session of its own, touching nothing a notebook sees, so that Roslyn and
    /// the formatter are loaded and compiled by the time the first real cell comes: a kernel calls it while its front
    /// end is still connecting.
    /// </summary>
    public static void WarmUp()
    {
        // With every pinned package referenced, as a notebook's first cell references them.
        var packages = Packages.Value.Pins
            .SelectMany(pin =>
            {
                try { return Packages.Value.Resolve(new PackageRequest(pin.Key, pin.Value, 0)); }
                catch (ArgumentException) { return []; } // pinned for the tests or tools, not carried by this process
            })
            .ToList();
        var scratch = new ScriptKernel(Path.GetTempPath());
        scratch.RunAsync("var warm = new List<int> { 1 };\nwarm.Sum() + 1", packages, new DiscardedOutputs(), CancellationToken.None).GetAwaiter().GetResult();
    }

    private sealed class DiscardedOutputs : ICellOutputSink
    {
        public void Stream(string name, string text) { }
        public void Display(string displayId, JsonObject data) { }
        public void UpdateDisplay(string displayId, JsonObject data) { }
        public void Result(JsonObject data) { }
        public void Error(string name, string value, IReadOnlyList<string> traceback) { }
    }

    /// <summary>The notebook's folder: the working directory of its cells, and the base of <c>#r</c> and <c>#load</c> paths.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Runs one cell, sending its outputs to <paramref name="sink"/> as they are produced.</summary>
    /// <param name="source">The cell's text, in the Polyglot C# cell language.</param>
    /// <param name="sink">Where the outputs go.</param>
    /// <param name="cancellationToken">An interrupt or a time limit: the cell ends at once as interrupted.</param>
    /// <param name="cellKernel">The kernel the notebook's metadata names for this cell, if any.</param>
    /// <param name="input">Who answers the cell's <c>Console.ReadLine()</c>; without one, reading input is an error that says why.</param>
    public async Task<CellRun> ExecuteAsync(
        string source, ICellOutputSink sink, CancellationToken cancellationToken = default, string? cellKernel = null, ICellInput? input = null)
    {
        await _oneCellAtATime.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        var originalIn = Console.In;
        var originalOut = Console.Out;
        var originalError = Console.Error;
        var originalDirectory = Directory.GetCurrentDirectory();
        var originalCulture = CultureInfo.CurrentCulture;
        try
        {
            Directory.SetCurrentDirectory(WorkingDirectory);
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            Console.SetOut(new CellConsoleWriter("stdout"));
            Console.SetError(new CellConsoleWriter("stderr"));
            Console.SetIn(new CellConsoleReader());
            OutputRouting.Input = input;
            if (_plotlyScript is not null) sink = new OfflineCharts(sink, () => Interlocked.Exchange(ref _chartsShown, 1) == 0, _plotlyScript);
            OutputRouting.Active = sink;

            CellSource.Parsed parsed;
            var assemblies = new List<string>();
            try
            {
                parsed = CellSource.Parse(source, cellKernel, "csharp");
                foreach (var request in parsed.Packages)
                {
                    try
                    {
                        // A package the repository pins comes from this process, at the pinned version; any other is restored.
                        assemblies.AddRange(Packages.Value.IsPinned(request.Name)
                            ? Packages.Value.Resolve(request)
                            : await PackageRestorer.RestoreAsync(request.Name, request.Version, cancellationToken).ConfigureAwait(false));
                    }
                    catch (ArgumentException e)
                    {
                        throw new CellLanguageException(e.Message, request.Line);
                    }
                }
            }
            catch (CellLanguageException e)
            {
                var message = $"line {e.Line}: {e.Message}";
                sink.Error("CellLanguageError", message, [message]);
                return new CellRun(false, message);
            }
            if (parsed.Packages.Count > 0) sink.Display(Guid.NewGuid().ToString(), InstalledPackages(parsed.Packages));
            return await _kernel.RunAsync(parsed.Code, assemblies, sink, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            OutputRouting.Active = null;
            OutputRouting.Input = null;
            Console.SetIn(originalIn);
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            Directory.SetCurrentDirectory(originalDirectory);
            CultureInfo.CurrentCulture = originalCulture;
            _oneCellAtATime.Release();
        }
    }

    /// <summary>The list the kernel shows under a cell that loads packages.</summary>
    private static JsonObject InstalledPackages(IReadOnlyList<PackageRequest> packages)
    {
        var names = packages.Select(p => $"{p.Name}, {p.Version}").ToList();
        return new JsonObject
        {
            ["text/html"] = "<div><strong>Installed Packages</strong><ul>" +
                            string.Concat(names.Select(n => $"<li><span>{WebUtility.HtmlEncode(n)}</span></li>")) + "</ul></div>",
            ["text/plain"] = "Installed Packages\n" + string.Concat(names.Select(n => $"  {n}\n")),
        };
    }

    /// <summary>Completions at <paramref name="cursor"/> (a UTF-16 offset into <paramref name="source"/>), from Roslyn's completion service.</summary>
    public Task<CompletionResult> CompleteAsync(string source, int cursor, CancellationToken cancellationToken = default) =>
        _assistance.CompleteAsync(source, cursor, cancellationToken);

    /// <summary>The signature and documentation summary of the symbol at <paramref name="cursor"/>; null when there is none.</summary>
    public Task<InspectionResult?> InspectAsync(string source, int cursor, CancellationToken cancellationToken = default) =>
        _assistance.InspectAsync(source, cursor, cancellationToken);

    /// <summary>Whether <paramref name="source"/> is a whole submission, as the C# parser sees it.</summary>
    public IsCompleteResult IsComplete(string source) => CodeAssistance.IsComplete(source);

    /// <inheritdoc/>
    public void Dispose() => _oneCellAtATime.Dispose();
}
