using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mlm.Workbook.Notebooks;
using Mlm.Workbook.Notebooks.Course;

namespace Mlm.Workbook.Tests;

/// <summary>
/// The workbook as a course unit: the instructor's notebooks pass every check; the student edition that <c>assign</c>
/// writes passes none and shows no error; a wrong answer, swapped answers and an endless loop fail only their own
/// exercises; each folder graded gets its own rows.
/// </summary>
[Collection(nameof(NotebookRunnerCollection))]
public sealed class CourseTests(LocalDynamoDb dynamo) : IDisposable
{
    // One name per test: a variable another test's Dispose set would end this test's loop before its time limit.
    private readonly string StopLoop = $"MLM_TEST_STOP_ENDLESS_LOOP_{Guid.NewGuid():N}";
    private readonly string _folder = Directory.CreateTempSubdirectory("course-").FullName;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(StopLoop, "1");
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }


    private static string NotebooksFolder => Jupyter.NotebooksFolder;

    private async Task<IReadOnlyList<GradeRow>> GradeAsync(IReadOnlyList<string> folders, TimeSpan cellTimeout, string? executed = null)
    {
        var saved = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", dynamo.Endpoint);
        try
        {
            return await Grader.GradeAsync(folders, new GradeOptions(cellTimeout, executed), cancellationToken: TestContext.Current.CancellationToken);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", saved);
        }
    }

    /// <summary>A copy of the instructor's notebooks with some solution regions rewritten.</summary>
    private string CopyWithSolutions(string name, Func<string, string, string> rewrite)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder, name, "notebooks")).FullName;
        foreach (var path in Directory.GetFiles(NotebooksFolder, "*.ipynb"))
        {
            var notebook = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            foreach (var cell in notebook["cells"]!.AsArray().Select(c => c!.AsObject()))
            {
                if (cell["id"]?.GetValue<string>() is not { } id || !id.EndsWith("-solution", StringComparison.Ordinal)) continue;
                var source = Jupyter.Source(cell);
                cell["source"] = rewrite(id.Substring(3, 4), source);
            }
            File.WriteAllText(Path.Combine(folder, Path.GetFileName(path)), notebook.ToJsonString());
        }
        return folder;
    }

    private static string Region(string source) =>
        source.Substring(source.IndexOf(SolutionRegions.Begin, StringComparison.Ordinal),
            source.IndexOf(SolutionRegions.End, StringComparison.Ordinal) - source.IndexOf(SolutionRegions.Begin, StringComparison.Ordinal));

    [Fact]
    public async Task The_instructor_edition_passes_every_check_and_wrong_swapped_or_endless_answers_fail_only_their_own()
    {
        Assert.SkipWhen(StudentEdition.IsStudentEdition(RepositoryRoot.Find()), "a student edition holds no solutions");
        var sources = Directory.GetFiles(NotebooksFolder, "*.ipynb").ToDictionary(p => Path.GetFileName(p), File.ReadAllText);
        var solutions = Exercise.All.ToDictionary(e => e.Id, e => Region(Jupyter.Source(
            JsonNode.Parse(sources[e.Notebook])!["cells"]!.AsArray().Single(c => c!["id"]?.GetValue<string>() == $"ex-{e.Id}-solution")!.AsObject())));

        var wrong = CopyWithSolutions("wrong", (id, source) => id switch
        {
            "04-1" => source.Replace("GetDownlineAsync(\"002\")", "GetDownlineAsync(\"001\")"),
            "07-1" => source.Replace(Region(source), solutions["07-2"]),
            "07-2" => source.Replace(Region(source), solutions["07-1"]),
            _ => source,
        });
        var endless = CopyWithSolutions("endless", (id, source) => id == "03-1"
            ? source.Replace(Region(source), $"{SolutionRegions.Begin}\nwhile (Environment.GetEnvironmentVariable(\"{StopLoop}\") is null) {{ }}\n")
            : source);

        var rows = await GradeAsync([NotebooksFolder, wrong, endless], TimeSpan.FromSeconds(30));

        Assert.Equal(3 * Exercise.All.Count, rows.Count);
        Assert.True(Exercise.All.Count >= 12);
        foreach (var folder in new[] { NotebooksFolder, wrong, endless })
            Assert.Equal(Exercise.All.Select(e => e.Id), rows.Where(r => r.Folder == folder).Select(r => r.Id));

        var instructor = rows.Where(r => r.Folder == NotebooksFolder).ToList();
        Assert.All(instructor, r => Assert.True(r.Passed, $"{r.Id}: {r.Message}"));

        var failedWrong = rows.Where(r => r.Folder == wrong && !r.Passed).ToDictionary(r => r.Id);
        Assert.Equal(["04-1", "07-1", "07-2"], failedWrong.Keys.Order());
        Assert.Contains("you queried recruited_by = 'USER#001'", failedWrong["04-1"].Message);
        Assert.Contains("read phone-index", failedWrong["07-1"].Message);
        Assert.Contains("read email-index", failedWrong["07-2"].Message);

        var failedEndless = rows.Where(r => r.Folder == endless && !r.Passed).ToList();
        Assert.Equal("03-1", Assert.Single(failedEndless).Id);
        Assert.Contains("time limit", failedEndless[0].Message);

        var json = JsonNode.Parse(GradeReport.Json(rows))!;
        Assert.Equal(rows.Count, json["total"]!.GetValue<int>());
        Assert.Equal(rows.Count(r => r.Passed), json["passed"]!.GetValue<int>());
        Assert.Equal(rows.Count, json["results"]!.AsArray().Count);
        Assert.Equal(rows.Count + 1, GradeReport.Csv(rows).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task The_student_edition_has_no_solutions_reruns_identically_and_passes_no_check_without_errors()
    {
        Assert.SkipWhen(StudentEdition.IsStudentEdition(RepositoryRoot.Find()), "this is already a student edition");
        var edition = Path.Combine(_folder, "student");
        var summary = StudentEdition.Write(RepositoryRoot.Find(), edition);
        Assert.True(summary.Solutions >= Exercise.All.Count, $"{summary.Solutions} solution regions");
        Assert.True(summary.InstructorCells >= 1);

        var files = Directory.GetFiles(edition, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(edition, f)).ToList();
        Assert.DoesNotContain(files, f => f.Split(Path.DirectorySeparatorChar).Any(s => s is "bin" or "obj" or "node_modules" or ".dynamodb" or "artifacts"));
        Assert.Contains("README.md", files);
        Assert.Contains(Path.Combine("lib", "package-lock.json"), files);
        // No marker line survives anywhere (the library's own source included), and the README's instructor-only block is gone.
        foreach (var file in files)
        {
            var text = File.ReadAllText(Path.Combine(edition, file));
            foreach (var marker in new[] { SolutionRegions.Begin, SolutionRegions.End, SolutionRegions.InstructorOnlyBegin, SolutionRegions.InstructorOnlyEnd })
                Assert.False(text.Contains(marker, StringComparison.Ordinal), $"{file} holds \"{marker}\"");
        }
        Assert.DoesNotContain(files, f => f.Split(Path.DirectorySeparatorChar).Contains(StudentEdition.InstructorFolder));
        // No solution's distinctive text, a line of it that the lessons and the library do not hold, is anywhere in the edition.
        var distinctive = DistinctiveSolutionLines();
        Assert.True(distinctive.Count >= Exercise.All.Count, $"only {distinctive.Count} distinctive solution lines");
        foreach (var file in files)
        {
            var text = Normalise(File.ReadAllText(Path.Combine(edition, file)));
            var leaked = distinctive.FirstOrDefault(line => text.Contains(line, StringComparison.Ordinal));
            Assert.True(leaked is null, $"{file} holds the solution line \"{leaked}\"");
        }
        var readme = File.ReadAllText(Path.Combine(edition, "README.md"));
        Assert.DoesNotContain("**Grading.**", readme);
        Assert.Contains("**Self-checks.**", readme);
        Assert.Contains("**Grading.**", File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "README.md")));

        foreach (var path in Directory.GetFiles(Path.Combine(edition, "notebooks"), "*.ipynb"))
        {
            var text = File.ReadAllText(path);
            Assert.DoesNotContain(SolutionRegions.Begin, text);
            Assert.DoesNotContain(SolutionRegions.End, text);
            var cells = Jupyter.CodeCells(JsonNode.Parse(text)!.AsObject());
            var original = Jupyter.CodeCells(JsonNode.Parse(File.ReadAllText(Path.Combine(NotebooksFolder, Path.GetFileName(path))))!.AsObject());
            Assert.Equal(original.Count, cells.Count);
            for (var i = 0; i < cells.Count; i++)
            {
                var tags = cells[i]["metadata"]?["tags"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];
                if (tags.Contains("solution") || tags.Contains("check")) Assert.Empty(Jupyter.Outputs(cells[i]));
                else Assert.Equal(original[i]["outputs"]!.ToJsonString(), cells[i]["outputs"]!.ToJsonString());
            }
            Assert.DoesNotContain("\"instructor\"", text);
        }

        // Twice gives the same files; a folder that is not an edition is never overwritten.
        var first = Fingerprint(edition);
        StudentEdition.Write(RepositoryRoot.Find(), edition);
        Assert.Equal(first, Fingerprint(edition));
        var other = Directory.CreateDirectory(Path.Combine(_folder, "other")).FullName;
        File.WriteAllText(Path.Combine(other, "thesis.txt"), "keep me");
        Assert.Throws<InvalidOperationException>(() => StudentEdition.Write(RepositoryRoot.Find(), other));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(other, "thesis.txt")));

        var executed = Path.Combine(_folder, "executed");
        var rows = await GradeAsync([Path.Combine(edition, "notebooks")], GradeOptions.DefaultCellTimeout, executed);
        Assert.Equal(Exercise.All.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal((false, "not-attempted", ExerciseResult.NotAttemptedMessage), (r.Passed, r.Status, r.Message)));
        var problems = Directory.GetFiles(executed, "*.ipynb", SearchOption.AllDirectories)
            .SelectMany(path => Jupyter.Problems(Path.GetFileName(path), JsonNode.Parse(File.ReadAllText(path))!.AsObject())).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Solution_regions_become_the_placeholder_and_instructor_only_blocks_vanish_and_unclosed_ones_are_refused()
    {
        var b = SolutionRegions.Begin;
        var e = SolutionRegions.End;
        Assert.Equal($"var answer = null;\n    {SolutionRegions.Placeholder}\nawait Check();",
            SolutionRegions.Strip($"var answer = null;\r\n    {b}\r\n    answer = 42;\r\n    {e}\r\nawait Check();"));
        var io = SolutionRegions.InstructorOnlyBegin;
        var ioEnd = SolutionRegions.InstructorOnlyEnd;
        Assert.Equal("# Lesson\n\nFor everyone.", SolutionRegions.StripInstructorOnly($"# Lesson\n{io}\nThe answers.\n{ioEnd}\n\nFor everyone."));

        Assert.Contains("never closed", Assert.Throws<FormatException>(() => SolutionRegions.Strip($"{b}\nanswer = 42;")).Message);
        Assert.Contains("without", Assert.Throws<FormatException>(() => SolutionRegions.StripInstructorOnly($"text\n{ioEnd}")).Message);
        Assert.Contains("inside another instructor-only block", Assert.Throws<FormatException>(() => SolutionRegions.StripInstructorOnly($"{io}\n{io}\n{ioEnd}")).Message);
    }

    /// <summary>
    /// The lines of the instructor's solution regions that nothing a student is meant to see holds: not the lessons' other
    /// cells, not the library's source. Lines are compared with their white space squeezed.
    /// </summary>
    private static IReadOnlyList<string> DistinctiveSolutionLines()
    {
        var shown = new System.Text.StringBuilder();
        var solutionLines = new List<string>();
        foreach (var path in Directory.GetFiles(NotebooksFolder, "*.ipynb"))
        {
            foreach (var cell in JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray().Select(c => c!.AsObject()))
            {
                var source = Jupyter.Source(cell);
                var begin = source.IndexOf(SolutionRegions.Begin, StringComparison.Ordinal);
                if (begin < 0) { shown.AppendLine(Normalise(source)); continue; }
                var end = source.IndexOf(SolutionRegions.End, begin, StringComparison.Ordinal);
                shown.AppendLine(Normalise(source.Substring(0, begin) + source.Substring(end)));
                solutionLines.AddRange(source.Substring(begin, end - begin).Split('\n').Skip(1).Select(Normalise));
            }
        }
        foreach (var path in Directory.GetFiles(Path.Combine(RepositoryRoot.Find(), "lib"), "*.cs", SearchOption.AllDirectories))
            shown.AppendLine(Normalise(File.ReadAllText(path)));
        var lessons = shown.ToString();
        return solutionLines.Where(line => line.Length >= 16 && !lessons.Contains(line, StringComparison.Ordinal)).Distinct().ToList();
    }

    private static string Normalise(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"[ \t]+", " ").Trim();

    private static string Fingerprint(string folder) => string.Join("\n",
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(folder, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));
}
