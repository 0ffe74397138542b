using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;

namespace Mlm.Workbook.Notebooks.Course;

/// <summary>How to grade.</summary>
/// <param name="CellTimeout">How long one cell may run; an endless loop is stopped and grading goes on.</param>
/// <param name="ExecutedDirectory">
/// Where to keep the executed notebooks: one folder per graded folder, numbered and named after its path
/// (<c>01-alice-notebooks</c>); null to discard them.
/// </param>
public sealed record GradeOptions(TimeSpan CellTimeout, string? ExecutedDirectory = null)
{
    /// <summary>The time limit of a cell when none is given.</summary>
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromSeconds(60);
}

/// <summary>One exercise of one graded folder.</summary>
/// <param name="Folder">The folder as given.</param>
/// <param name="Id">The exercise, such as <c>04-1</c>.</param>
/// <param name="Notebook">The notebook it is in.</param>
/// <param name="Passed">Whether its check passed.</param>
/// <param name="Status"><c>passed</c>, <c>failed</c> or <c>not-attempted</c>.</param>
/// <param name="Message">The check's message, or why there was none.</param>
public sealed record GradeRow(string Folder, string Id, string Notebook, bool Passed, string Status, string Message);

/// <summary>A folder to grade and the notebooks of it that hold exercises.</summary>
/// <param name="Folder">The folder, as given.</param>
/// <param name="Notebooks">Its notebooks that hold exercises, in order.</param>
public sealed record FolderToGrade(string Folder, IReadOnlyList<string> Notebooks);

/// <summary>
/// Grades folders of notebooks: each on a table of its own, created and seeded with the workbook's default data and
/// removed after, its exercise notebooks run by the runner with a time limit per cell and past failing cells, and
/// each check's result read from the executed notebook. <see cref="GradeAsync(IReadOnlyList{string}, GradeOptions, IProgress{string}?, CancellationToken)"/>
/// runs the students' code in this process (for trusted folders and tests); <c>mlm grade</c> grades each hand-in in a process
/// of its own through <see cref="Stage"/> and <see cref="GradeStageAsync"/>.
/// </summary>
public static class Grader
{
    /// <summary>
    /// The notebooks each folder would have graded, worked out before anything starts, so that a wrong folder is a quick error.
    /// </summary>
    /// <exception cref="FileNotFoundException">A folder does not exist or holds no <c>NN-name.ipynb</c> notebooks.</exception>
    public static IReadOnlyList<FolderToGrade> Plan(IReadOnlyList<string> folders)
    {
        if (folders.Count == 0) throw new FileNotFoundException("No folder of notebooks to grade.");
        return folders.Select(folder => new FolderToGrade(folder, NotebooksToRun(folder))).ToList();
    }

    /// <summary>Grades each folder in turn; one row per folder and exercise, in course order.</summary>
    /// <exception cref="FileNotFoundException">A folder does not exist or holds no <c>NN-name.ipynb</c> notebooks; nothing was graded.</exception>
    public static Task<IReadOnlyList<GradeRow>> GradeAsync(IReadOnlyList<string> folders, GradeOptions options,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        GradeAsync(Plan(folders), options, progress, cancellationToken);

    /// <summary>Grades the folders of a <see cref="Plan"/> in turn; one row per folder and exercise, in course order.</summary>
    public static async Task<IReadOnlyList<GradeRow>> GradeAsync(IReadOnlyList<FolderToGrade> plan, GradeOptions options,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var settings = ConnectionSettings.FromEnvironment();
        using var client = await Connection.ConnectAsync(settings, cancellationToken).ConfigureAwait(false);
        var rows = new List<GradeRow>();
        var executedNames = ExecutedFolders.Names(plan.Select(p => p.Folder).ToList());
        for (var index = 0; index < plan.Count; index++)
        {
            var (folder, notebooks) = plan[index];
            progress?.Report($"Grading {folder} ({notebooks.Count} notebooks)");
            var executed = options.ExecutedDirectory is { } keep ? Path.Combine(keep, executedNames[index]) : null;
            rows.AddRange(await GradeFolderAsync(client, index + 1, folder, notebooks, options, executed, progress, cancellationToken).ConfigureAwait(false));
        }
        return rows;
    }

    /// <summary>The notebooks of a folder that hold exercises: those the course lists, and any with a cell tagged <c>check</c>.</summary>
    private static IReadOnlyList<string> NotebooksToRun(string folder)
    {
        if (!Directory.Exists(folder)) throw new FileNotFoundException($"No folder at {folder}.", folder);
        var all = NotebookRunner.Expand([folder]);
        if (all.Count == 0) throw new FileNotFoundException($"No NN-name.ipynb notebooks in {folder}.", folder);
        var listed = Exercise.All.Select(e => e.Notebook).ToHashSet(StringComparer.Ordinal);
        return all.Where(path => listed.Contains(Path.GetFileName(path)) || HasCheckCell(path)).ToList();
    }

    private static bool HasCheckCell(string path)
    {
        try
        {
            return Notebook.Load(path).Cells.Any(c => c.Tags.Contains(SolutionRegions.CheckTag));
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            return false;
        }
    }

    private static async Task<IReadOnlyList<GradeRow>> GradeFolderAsync(IAmazonDynamoDB client, int number, string folder, IReadOnlyList<string> notebooks,
        GradeOptions options, string? keptExecuted, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var stage = Directory.CreateTempSubdirectory("mlm-grade-").FullName;
        var table = $"mlm-grade-{number}-{Guid.NewGuid():N}".Substring(0, 26);
        try
        {
            Stage(stage, notebooks, copyLibrary: false);
            var rows = await GradeStageAsync(client, stage, table, options, keptExecuted ?? Path.Combine(stage, "executed"), progress, cancellationToken)
                .ConfigureAwait(false);
            return rows.Select(r => r with { Folder = folder }).ToList();
        }
        finally
        {
            try { Directory.Delete(stage, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Lays out a grading stage: the notebooks in <c>STAGE/notebooks</c>, and this grader's library where they load it
    /// (<c>STAGE/lib/Mlm.Workbook/bin/current</c>), linked or, with <paramref name="copyLibrary"/>, copied so that
    /// what runs in the stage cannot change the library other stages load.
    /// </summary>
    /// <returns>The staged notebooks folder.</returns>
    public static string Stage(string stage, IReadOnlyList<string> notebooks, bool copyLibrary)
    {
        // The notebooks load ../lib/Mlm.Workbook/bin/current/Mlm.Workbook.dll: give them this grader's library, wherever the folder is.
        var staged = Path.Combine(stage, "notebooks");
        Directory.CreateDirectory(staged);
        foreach (var notebook in notebooks) File.Copy(notebook, Path.Combine(staged, Path.GetFileName(notebook)));
        var library = Path.Combine(stage, "lib", "Mlm.Workbook", "bin", "current");
        if (copyLibrary) CopyLibrary(library);
        else LinkLibrary(library);
        return staged;
    }

    /// <summary>
    /// Grades a stage laid out by <see cref="Stage"/>: creates <paramref name="table"/>, seeds it with the default data,
    /// runs the staged notebooks with <c>MLM_TABLE</c> naming it, and removes it. The rows' folder is empty: the caller
    /// knows whose stage it is.
    /// </summary>
    public static async Task<IReadOnlyList<GradeRow>> GradeStageAsync(IAmazonDynamoDB client, string stage, string table, GradeOptions options,
        string executed, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var staged = Path.Combine(stage, "notebooks");
        var notebooks = NotebookRunner.Expand([staged]);
        var store = new MlmStore(client, table);
        var savedTable = Environment.GetEnvironmentVariable("MLM_TABLE");
        try
        {
            await store.CreateTableAsync(cancellationToken).ConfigureAwait(false);
            await store.SeedAsync(new FakeDataOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);

            Environment.SetEnvironmentVariable("MLM_TABLE", table);
            var results = await NotebookRunner.RunAsync(
                new RunOptions([staged], executed, CellTimeout: options.CellTimeout, ContinueAfterError: true),
                progress is null ? null : new NotebookLines(progress), cancellationToken).ConfigureAwait(false);
            return Rows("", notebooks, results);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MLM_TABLE", savedTable);
            try
            {
                await store.DeleteTableAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AmazonDynamoDBException or IOException or HttpRequestException)
            {
                progress?.Report($"Could not remove table {table}: {e.Message}");
            }
        }
    }

    private static IReadOnlyList<GradeRow> Rows(string folder, IReadOnlyList<string> notebooks, IReadOnlyList<NotebookResult> results)
    {
        var present = notebooks.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, GradeRow>(StringComparer.Ordinal);
        // A notebook the runner could not read (truncated JSON, another kernel) is named as such, not as a missing check.
        var unreadable = results.Where(r => r.CellsRun == 0 && r.Error is not null)
            .ToDictionary(r => r.Notebook.Name, r => UnreadableReason(r), StringComparer.Ordinal);
        foreach (var result in results)
        {
            var cells = result.Notebook.Cells;
            for (var i = 0; i < cells.Count; i++)
            {
                if (!cells[i].Tags.Contains(SolutionRegions.CheckTag)) continue;
                var check = CheckOutput(cells[i]);
                var id = check?["id"]?.GetValue<string>() ?? Exercise.All.FirstOrDefault(e => cells[i].Source.Contains($"\"{e.Id}\"", StringComparison.Ordinal))?.Id;
                if (id is null || found.ContainsKey(id)) continue;
                var answerCell = cells.Take(i).LastOrDefault(c => c.Type == "code");
                var answerError = answerCell is null ? null : CellError(answerCell);
                GradeRow row;
                if (check is not null)
                {
                    var passed = check["passed"]?.GetValue<bool>() == true;
                    var message = check["message"]?.GetValue<string>() ?? "";
                    if (!passed && answerError is not null) message += $" (the answer cell failed: {answerError})";
                    row = new GradeRow(folder, id, result.Notebook.Name, passed, check["status"]?.GetValue<string>() ?? (passed ? "passed" : "failed"), message);
                }
                else
                {
                    var why = CellError(cells[i]) is { } checkError ? $"the check did not run: {checkError}" : "the check cell shows no result";
                    if (answerError is not null) why += $" (the answer cell failed: {answerError})";
                    row = new GradeRow(folder, id, result.Notebook.Name, false, "failed", why);
                }
                found[id] = row;
            }
        }
        return Exercise.All.Select(e => found.GetValueOrDefault(e.Id) ?? new GradeRow(folder, e.Id, e.Notebook, false, "failed",
            unreadable.TryGetValue(e.Notebook, out var why) ? $"the notebook could not be read: {why}"
            : present.Contains(e.Notebook) ? "the exercise's check cell is missing" : $"{e.Notebook} is not in the folder")).ToList();
    }

    /// <summary>Why the runner could not read a notebook, without the grading stage's temporary folder: <c>04-x.ipynb is not valid JSON: …</c>.</summary>
    private static string UnreadableReason(NotebookResult result)
    {
        var reason = result.Error!;
        var prefix = result.Notebook.Name + ": ";
        if (reason.StartsWith(prefix, StringComparison.Ordinal)) reason = reason.Substring(prefix.Length);
        return reason.Replace(Path.GetDirectoryName(result.OutputPath) + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
    }

    private static JsonObject? CheckOutput(NotebookCell cell) =>
        cell.Outputs.Select(o => o?["data"]?[ExerciseResult.MimeType]).OfType<JsonObject>().LastOrDefault();

    /// <summary>A cell's error in one line: its time limit, or its error output.</summary>
    private static string? CellError(NotebookCell cell)
    {
        var outputs = cell.Outputs.OfType<JsonObject>().ToList();
        var limit = outputs.Where(o => o["output_type"]?.GetValue<string>() == "stream")
            .Select(o => o["text"]?.GetValue<string>()).FirstOrDefault(t => t?.Contains("time limit", StringComparison.Ordinal) == true);
        if (limit is not null) return limit.Trim();
        var error = outputs.FirstOrDefault(o => o["output_type"]?.GetValue<string>() == "error");
        return error is null ? null : $"{error["ename"]?.GetValue<string>()}: {error["evalue"]?.GetValue<string>()?.Split('\n')[0]}";
    }

    /// <summary>The folder of the library this grader runs with: the repository's build, else this process's copy.</summary>
    private static string LibraryFolder()
    {
        if (LibraryBuild.SourceDirectory is { } sources && File.Exists(Path.Combine(sources, "bin", "current", "Mlm.Workbook.dll")))
            return Path.Combine(sources, "bin", "current");
        return Path.GetDirectoryName(typeof(MlmStore).Assembly.Location)!;
    }

    private static void CopyLibrary(string target)
    {
        var library = LibraryFolder();
        foreach (var file in Directory.GetFiles(library, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(library, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    private static void LinkLibrary(string link)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        try
        {
            Directory.CreateSymbolicLink(link, LibraryFolder());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CopyLibrary(link); // where links need a privilege (Windows), a copy does
        }
    }

    /// <summary>The runner's progress, less its line per cell.</summary>
    private sealed class NotebookLines(IProgress<string> progress) : IProgress<string>
    {
        public void Report(string value)
        {
            if (!value.StartsWith("  cell ", StringComparison.Ordinal)) progress.Report("  " + value);
        }
    }
}
