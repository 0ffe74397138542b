using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mlm.Workbook.Notebooks;
using Mlm.Workbook.Notebooks.Course;

namespace Mlm.Workbook.Cli;

/// <summary>How <c>grade</c> grades hand-ins apart.</summary>
/// <param name="CellTimeout">How long one cell may run.</param>
/// <param name="Jobs">How many hand-ins are graded at once.</param>
/// <param name="ExecutedDirectory">Where to keep the executed notebooks (<c>--out</c>), or null.</param>
/// <param name="DynamoDbEnvironment">The variables that point a grading process at its DynamoDB (endpoint, or <c>MLM_DYNAMODB=aws</c> and AWS's own).</param>
/// <param name="AlsoHide">Folders besides the hand-ins that no hand-in may reach (the CSV's folder).</param>
internal sealed record IsolationOptions(TimeSpan CellTimeout, int Jobs, string? ExecutedDirectory,
    IReadOnlyDictionary<string, string> DynamoDbEnvironment, IReadOnlyList<string> AlsoHide);

/// <summary>
/// Grades each hand-in in a process of its own (<see cref="GradeOneVerb"/>, started by <see cref="GradeSandbox"/>):
/// a copy of its notebooks and of the library in a private stage (mode 700, under a stage root of this run), a clean
/// environment, a DynamoDB access key and table name that only it knows, and a time limit; when it ends, every process
/// it started is killed, its result file is read as that hand-in's data only (<see cref="HandInResult"/>), its executed
/// notebooks are copied out, and its stage is removed. Up to <see cref="IsolationOptions.Jobs"/> hand-ins run at once.
/// </summary>
internal sealed class IsolatedGrading(IsolationOptions options, IProgress<string> progress)
{
    private const long MaxExecutedNotebook = 100L * 1024 * 1024;
    private static readonly TimeSpan StartupAllowance = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<Process, byte> _running = new();
    private readonly string _root = CreatePrivateDirectory(null, "mlm-grading-");
    private int _aborted;

    /// <summary>The folder under which every stage of this run lives.</summary>
    public string StageRoot => _root;

    /// <summary>Grades every folder of the plan; one row per folder and exercise, folders in plan order.</summary>
    public async Task<IReadOnlyList<GradeRow>> GradeAsync(IReadOnlyList<FolderToGrade> plan, CancellationToken cancellationToken)
    {
        var executedNames = ExecutedFolders.Names(plan.Select(p => p.Folder).ToList());
        var hidden = Hidden(plan);
        var readOnly = ReadOnly();
        var results = new IReadOnlyList<GradeRow>[plan.Count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count),
                new ParallelOptions { MaxDegreeOfParallelism = options.Jobs, CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    var executed = options.ExecutedDirectory is { } keep ? Path.Combine(keep, executedNames[index]) : null;
                    results[index] = await GradeOneAsync(plan[index], executed, hidden, readOnly, token).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        finally
        {
            DeleteTree(_root);
        }
        return results.SelectMany(r => r).ToList();
    }

    /// <summary>On an interruption: kills every grading process with all it started, and removes the stages.</summary>
    /// <returns>How many grading processes were running.</returns>
    public int Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 1) return 0;
        var running = _running.Keys.ToList();
        foreach (var process in running) GradeSandbox.KillTree(process);
        DeleteTree(_root);
        return running.Count;
    }

    private async Task<IReadOnlyList<GradeRow>> GradeOneAsync(FolderToGrade hand, string? executed, IReadOnlyList<string> hidden,
        IReadOnlyList<string> readOnly, CancellationToken cancellationToken)
    {
        var (folder, notebooks) = hand;
        progress.Report($"Grading {folder} ({notebooks.Count} notebooks)");
        var clock = Stopwatch.StartNew();
        var stage = CreatePrivateDirectory(_root, "");
        try
        {
            Grader.Stage(stage, notebooks, copyLibrary: true);
            Directory.CreateDirectory(Path.Combine(stage, "tmp"));
            File.WriteAllText(Path.Combine(stage, GradeOneVerb.JobFile),
                JsonSerializer.Serialize(new { cellTimeoutSeconds = (int)options.CellTimeout.TotalSeconds }));
            if (GradeSandbox.UsesNamespaces)
            {
                File.WriteAllText(Path.Combine(stage, GradeSandbox.HideList), string.Concat(hidden.Select(h => h + "\n")));
                File.WriteAllText(Path.Combine(stage, GradeSandbox.ReadOnlyList), string.Concat(readOnly.Select(r => r + "\n")));
            }

            var limit = TimeLimit(notebooks);
            var (outcome, exitCode, tail) = await RunAsync(stage, limit, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<GradeRow> rows;
            if (outcome == Outcome.TimedOut)
                rows = HandInResult.Failed(folder, $"it ran longer than the {limit.TotalSeconds:N0} s allowed for its notebooks");
            else
            {
                try
                {
                    rows = HandInResult.Read(Path.Combine(stage, GradeOneVerb.ResultFile), folder);
                }
                catch (FormatException e)
                {
                    var reason = exitCode == 0 ? e.Message : $"{e.Message} (the grading process exited with code {exitCode})";
                    rows = HandInResult.Failed(folder, reason);
                    if (tail.Length > 0) progress.Report($"  {folder}: the grading process ended with:\n{tail}");
                }
            }
            if (executed is not null) CopyExecuted(Path.Combine(stage, "executed"), executed);
            var passed = rows.Count(r => r.Passed);
            progress.Report($"Graded {folder}: {passed} of {rows.Count} passed ({clock.Elapsed.TotalSeconds:N0} s)");
            return rows;
        }
        finally
        {
            DeleteTree(stage);
        }
    }

    private enum Outcome { Exited, TimedOut }

    /// <summary>Runs <c>grade-one</c> in the stage; whatever happens, its whole process tree is killed before this returns.</summary>
    private async Task<(Outcome Outcome, int ExitCode, string Tail)> RunAsync(string stage, TimeSpan limit, CancellationToken cancellationToken)
    {
        var environment = Environment(stage);
        // In a network namespace of its own, the process reaches DynamoDB only through a socket in its stage.
        using var relay = new CancellationTokenSource();
        var relayed = GradeSandbox.UsesNamespaces && environment.TryGetValue("AWS_ENDPOINT_URL_DYNAMODB", out var endpoint) ? new Uri(endpoint) : null;
        if (relayed is not null)
        {
            var variables = environment.ToDictionary(StringComparer.Ordinal);
            variables.Remove("AWS_ENDPOINT_URL_DYNAMODB");
            variables[SocketRelay.Variable] = SocketRelay.SocketName;
            environment = variables;
            _ = SocketRelay.ServeUnixAsync(Path.Combine(stage, SocketRelay.SocketName), relayed, relay.Token);
        }
        var start = GradeSandbox.StartInfo(_root, stage, [GradeOneVerb.Name], environment, noNetwork: relayed is not null);
        using var process = new Process { StartInfo = start };
        var output = new BoundedTail(8_000);
        cancellationToken.ThrowIfCancellationRequested();
        process.Start();
        _running[process] = 0;
        try
        {
            // Abort sets its flag before it looks at the running processes: one started meanwhile is seen by one or the other.
            if (Volatile.Read(ref _aborted) == 1) throw new OperationCanceledException(cancellationToken);
            process.StandardInput.Close(); // nothing to read: not the terminal, not the grader's input
            var drains = new[] { output.DrainAsync(process.StandardOutput), output.DrainAsync(process.StandardError) };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (Outcome.TimedOut, -1, output.Text);
            }
            finally
            {
                GradeSandbox.KillTree(process); // what it started may still run
            }
            // The pipes close once everything that held them is dead; a moment's wait gives the last lines.
            await Task.WhenAny(Task.WhenAll(drains), Task.Delay(2_000, CancellationToken.None)).ConfigureAwait(false);
            return (Outcome.Exited, process.ExitCode, output.Text);
        }
        finally
        {
            GradeSandbox.KillTree(process);
            _running.TryRemove(process, out _);
            await relay.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Only what a grading process needs: a path, a home in its stage, .NET's settings, and its own DynamoDB, key and table.</summary>
    private IReadOnlyDictionary<string, string> Environment(string stage)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var parent = System.Environment.GetEnvironmentVariables();
        foreach (var key in parent.Keys.OfType<string>())
        {
            if (key is "PATH" or "Path" or "LANG" or "LC_ALL" or "TZ" or "NUGET_PACKAGES" or "SystemRoot" or "windir"
                || key.StartsWith("DOTNET_", StringComparison.Ordinal))
                variables[key] = parent[key] as string ?? "";
        }
        var tmp = Path.Combine(stage, "tmp");
        variables["HOME"] = stage;
        variables["TMPDIR"] = tmp;
        if (OperatingSystem.IsWindows())
        {
            variables["USERPROFILE"] = stage;
            variables["TEMP"] = tmp;
            variables["TMP"] = tmp;
        }
        variables["DOTNET_ROOT"] = GradeSandbox.DotnetRoot;
        variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        variables["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in options.DynamoDbEnvironment) variables[name] = value;
        // Known to this process only: a DynamoDB Local without -sharedDb gives this key a database of its own.
        variables[LocalCredentials.AccessKeyVariable] = "grade" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        variables["MLM_TABLE"] = "mlm-grade-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        return variables;
    }

    /// <summary>Every cell may use its time limit, plus start-up and seeding.</summary>
    private TimeSpan TimeLimit(IReadOnlyList<string> notebooks)
    {
        var cells = 0;
        foreach (var notebook in notebooks)
        {
            try
            {
                cells += Notebook.Load(notebook).Cells.Count(c => c.Type == "code");
            }
            catch (Exception e) when (e is FormatException or IOException or InvalidOperationException or JsonException)
            {
                // Reported as unreadable by the grading process itself.
            }
        }
        return cells * options.CellTimeout + StartupAllowance;
    }

    /// <summary>
    /// Folders no hand-in may reach: each hand-in's folder and the folder holding it, and <see cref="IsolationOptions.AlsoHide"/>,
    /// except any that holds what grading runs on (the stage root, this CLI, .NET, the repository).
    /// </summary>
    private IReadOnlyList<string> Hidden(IReadOnlyList<FolderToGrade> plan)
    {
        var needed = new[] { _root, AppContext.BaseDirectory, GradeSandbox.DotnetRoot, RepositoryFolder() }.OfType<string>().Select(Full).ToList();
        return plan.Select(p => Full(p.Folder))
            .SelectMany(f => new[] { f, Path.GetDirectoryName(f) })
            .Concat(options.AlsoHide.Select(Full))
            .OfType<string>()
            .Where(f => f.Length > 1 && !f.Contains('\n') && !needed.Any(n => IsSelfOrAncestor(f, n)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Folders a hand-in may read but not change: this CLI, .NET and the repository, unless one holds the stages.</summary>
    private IReadOnlyList<string> ReadOnly() =>
        new[] { AppContext.BaseDirectory, GradeSandbox.DotnetRoot, RepositoryFolder() }.OfType<string>().Select(Full)
            .Where(f => f.Length > 1 && !f.Contains('\n') && !IsSelfOrAncestor(f, _root))
            .Distinct(StringComparer.Ordinal).ToList();

    private static string? RepositoryFolder()
    {
        try
        {
            return RepositoryRoot.Find();
        }
        catch (Exception e) when (e is DynamoDbLocalException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static bool IsSelfOrAncestor(string folder, string path)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return path.Equals(folder, comparison) || path.StartsWith(folder + Path.DirectorySeparatorChar, comparison);
    }

    /// <summary>Copies the executed notebooks out of a stage: regular files named like notebooks, not links, none over 100 MB.</summary>
    private static void CopyExecuted(string from, string to)
    {
        var source = new DirectoryInfo(from);
        if (!source.Exists || source.Attributes.HasFlag(FileAttributes.ReparsePoint)) return;
        Directory.CreateDirectory(to);
        foreach (var file in source.EnumerateFiles("*.ipynb"))
        {
            if (file.Attributes.HasFlag(FileAttributes.ReparsePoint) || file.Length > MaxExecutedNotebook || file.Name.StartsWith('.')) continue;
            try
            {
                AtomicFile.Write(Path.Combine(to, file.Name), target =>
                {
                    using var stream = file.OpenRead();
                    stream.CopyTo(target);
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A file the hand-in made unreadable is simply not kept.
            }
        }
    }

    /// <summary>A new folder only its owner can open: <paramref name="parent"/>, or the temporary folder when null, gets a random name.</summary>
    private static string CreatePrivateDirectory(string? parent, string prefix)
    {
        if (parent is null) return Directory.CreateTempSubdirectory(prefix).FullName; // mode 700 on Unix
        var path = Path.Combine(parent, prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant());
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Removes a folder, also when what ran in it took away its owner's rights to parts of it.</summary>
    private static void DeleteTree(string path)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (!OperatingSystem.IsWindows()) GiveBackRights(path);
            }
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void GiveBackRights(string path)
    {
        try
        {
            var info = new DirectoryInfo(path);
            if (info.Attributes.HasFlag(FileAttributes.ReparsePoint)) return;
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            foreach (var child in info.EnumerateDirectories()) GiveBackRights(child.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next attempt says what is left.
        }
    }

    /// <summary>The last characters a process wrote, without control characters, for when its grading broke off.</summary>
    private sealed class BoundedTail(int capacity)
    {
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text) return string.Join("\n", _text.ToString().Split('\n').Where(l => l.Trim().Length > 0).TakeLast(20).Select(l => "  | " + l.TrimEnd()));
            }
        }

        public async Task DrainAsync(StreamReader reader)
        {
            var buffer = new char[4096];
            try
            {
                int read;
                while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    lock (_text)
                    {
                        foreach (var c in buffer.AsSpan(0, read)) _text.Append(c == '\n' || !char.IsControl(c) ? c : ' ');
                        if (_text.Length > capacity) _text.Remove(0, _text.Length - capacity);
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The process is gone.
            }
        }
    }
}
