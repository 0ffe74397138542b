using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Notebooks.Course;

/// <summary>What <see cref="StudentEdition.Write"/> wrote.</summary>
/// <param name="Directory">The edition's folder.</param>
/// <param name="Files">Files written.</param>
/// <param name="Notebooks">Notebooks among them.</param>
/// <param name="Solutions">Solution regions replaced by the placeholder.</param>
/// <param name="InstructorCells">Cells tagged <c>instructor</c> left out.</param>
public sealed record StudentEditionSummary(string Directory, int Files, int Notebooks, int Solutions, int InstructorCells);

/// <summary>
/// The student edition of the repository: its git-tracked files (never build output, packages, DynamoDB Local's data
/// or run artifacts), with every solution region replaced by a placeholder, the outputs of solution and check cells
/// cleared, and instructor-only cells and Markdown blocks left out. Writing it twice gives the same files.
/// </summary>
public static class StudentEdition
{
    /// <summary>The file that marks a folder as a student edition, which a later edition may replace.</summary>
    public const string MarkerFile = ".student-edition";

    private const string MarkerText =
        "This folder is a student edition of the MLM key-design workbook, written by `assign`.\n" +
        "Running `assign --out` on it again replaces everything in it except .git.\n";

    /// <summary>A folder whose files are for instructors only, such as the tests that hold the exercises' answers; left out.</summary>
    public const string InstructorFolder = "Instructor";

    private static readonly string[] Excluded = ["bin", "obj", "node_modules", ".dynamodb", "artifacts", InstructorFolder];

    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Whether a folder holds a student edition.</summary>
    public static bool IsStudentEdition(string directory) => File.Exists(Path.Combine(directory, MarkerFile));

    /// <summary>Writes the student edition of the repository at <paramref name="repositoryRoot"/> into <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="InvalidOperationException">
    /// The folder is not empty and is not a previous student edition (nothing is overwritten by mistake), or git cannot list the files.
    /// </exception>
    /// <exception cref="FormatException">A notebook has an unclosed solution region; nothing of that notebook is written.</exception>
    public static StudentEditionSummary Write(string repositoryRoot, string outputDirectory)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var output = Path.GetFullPath(outputDirectory);
        var files = TrackedFiles(root);
        // Read and transform everything first, so a bad notebook stops the edition before anything is deleted.
        var contents = new List<(string Path, byte[] Bytes, UnixFileMode? Mode)>();
        int notebooks = 0, solutions = 0, instructorCells = 0;
        foreach (var file in files)
        {
            var source = Path.Combine(root, file);
            if (!File.Exists(source)) continue; // tracked, but deleted in the working tree
            var bytes = File.ReadAllBytes(source);
            if (file.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    bytes = System.Text.Encoding.UTF8.GetBytes(SolutionRegions.StripInstructorOnly(File.ReadAllText(source)));
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{file}: {e.Message}", e);
                }
            }
            else if (file.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    var (text, stripped, removed) = ForStudents(File.ReadAllText(source));
                    bytes = System.Text.Encoding.UTF8.GetBytes(text);
                    notebooks++;
                    solutions += stripped;
                    instructorCells += removed;
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{file}: {e.Message}", e);
                }
            }
            contents.Add((file, bytes, OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(source)));
        }

        Prepare(output, root);
        foreach (var (file, bytes, mode) in contents)
        {
            var target = Path.Combine(output, file);
            AtomicFile.WriteAllBytes(target, bytes);
            if (mode is { } unixMode && !OperatingSystem.IsWindows()) File.SetUnixFileMode(target, unixMode);
        }
        AtomicFile.WriteAllText(Path.Combine(output, MarkerFile), MarkerText);
        return new StudentEditionSummary(output, contents.Count + 1, notebooks, solutions, instructorCells);
    }

    /// <summary>
    /// A notebook's student edition: solution regions replaced, outputs of solution and check cells cleared, instructor
    /// cells removed; every other output stays.
    /// </summary>
    /// <returns>The notebook's JSON, how many regions were replaced, and how many cells were removed.</returns>
    public static (string Json, int Solutions, int InstructorCells) ForStudents(string notebookJson)
    {
        var document = JsonNode.Parse(notebookJson)?.AsObject() ?? throw new FormatException("not a notebook");
        var cells = document["cells"]?.AsArray() ?? throw new FormatException("a notebook without cells");
        int solutions = 0, removed = 0;
        for (var i = cells.Count - 1; i >= 0; i--)
        {
            var cell = cells[i]!.AsObject();
            var tags = cell["metadata"]?["tags"] is JsonArray list ? list.Select(t => t?.GetValue<string>()).ToList() : [];
            if (tags.Contains(SolutionRegions.InstructorTag))
            {
                cells.RemoveAt(i);
                removed++;
                continue;
            }
            var source = cell["source"] switch
            {
                JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
                JsonValue text => text.GetValue<string>(),
                _ => "",
            };
            if (SolutionRegions.HasMarkers(source))
            {
                solutions += source.Split('\n').Count(line => line.Trim() == SolutionRegions.Begin);
                cell["source"] = NotebookCell.SourceLines(SolutionRegions.Strip(source));
            }
            if ((tags.Contains(SolutionRegions.SolutionTag) || tags.Contains(SolutionRegions.CheckTag)) && cell["cell_type"]?.GetValue<string>() == "code")
            {
                cell["outputs"] = new JsonArray();
                cell["execution_count"] = null;
            }
        }
        return (document.ToJsonString(WriteOptions) + "\n", solutions, removed);
    }

    /// <summary>An empty folder, or a previous edition emptied except for its .git; anything else is refused.</summary>
    private static void Prepare(string output, string root)
    {
        if (!Directory.Exists(output))
        {
            Directory.CreateDirectory(output);
            return;
        }
        var entries = Directory.EnumerateFileSystemEntries(output).ToList();
        if (entries.Count == 0) return;
        if (!IsStudentEdition(output) || root.StartsWith(output + Path.DirectorySeparatorChar, StringComparison.Ordinal) || root == output)
            throw new InvalidOperationException(
                $"{output} is not empty and is not a student edition (it has no {MarkerFile}); choose a new or empty folder, so that nothing is overwritten by mistake.");
        foreach (var entry in entries.Where(e => Path.GetFileName(e) != ".git"))
        {
            if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
    }

    /// <summary>The repository's tracked files (relative paths), less build output, packages, data and artifacts.</summary>
    private static List<string> TrackedFiles(string root)
    {
        var git = ExternalProgram.RunAsync("git", ["-c", "core.quotepath=off", "ls-files", "-z"], root).GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("git is needed to list the repository's files, and it was not found.");
        if (git.ExitCode != 0) throw new InvalidOperationException($"git ls-files failed in {root}: {git.Errors.Trim()}");
        return git.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(path => !path.Split('/').Any(segment => Excluded.Contains(segment)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
