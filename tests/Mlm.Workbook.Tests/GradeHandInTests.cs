using Mlm.Workbook.Notebooks.Course;

namespace Mlm.Workbook.Tests;

/// <summary>Hand-ins as they arrive: cut off, or several in folders that share a name.</summary>
[Collection(nameof(NotebookRunnerCollection))]
public sealed class GradeHandInTests(LocalDynamoDb dynamo) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hand-ins-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private async Task<IReadOnlyList<GradeRow>> GradeAsync(IReadOnlyList<string> folders, string? executed = null)
    {
        var saved = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", dynamo.Endpoint);
        try
        {
            return await Grader.GradeAsync(folders, new GradeOptions(TimeSpan.FromSeconds(30), executed), cancellationToken: TestContext.Current.CancellationToken);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB", saved);
        }
    }

    private string HandIn(string student) => Directory.CreateDirectory(Path.Combine(_folder, student, "notebooks")).FullName;

    [Fact]
    public async Task A_truncated_notebook_is_reported_as_not_valid_JSON_not_as_a_missing_check()
    {
        var folder = HandIn("carol");
        File.WriteAllText(Path.Combine(folder, "04-list-downline.ipynb"), "{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"sour");

        var row = (await GradeAsync([folder])).Single(r => r.Id == "04-1");

        Assert.False(row.Passed);
        Assert.StartsWith("the notebook could not be read: 04-list-downline.ipynb is not valid JSON", row.Message);
        Assert.DoesNotContain("check cell is missing", row.Message);
        Assert.DoesNotContain("mlm-grade-", row.Message); // no temporary folder of the grader's
    }

    [Fact]
    public async Task Out_keeps_each_students_folder_name_so_hand_ins_never_overwrite_each_other()
    {
        var alice = HandIn("alice");
        var bob = HandIn("bob");
        foreach (var (folder, who) in new[] { (alice, "alice"), (bob, "bob") })
        {
            using var files = new NotebookFiles();
            File.Move(files.Write("04-list-downline.ipynb", NotebookFiles.Code($"Console.WriteLine(\"written by {who}\");")),
                Path.Combine(folder, "04-list-downline.ipynb"));
        }
        var executed = Path.Combine(_folder, "executed");

        await GradeAsync([alice, bob], executed);

        Assert.Equal(["01-alice-notebooks", "02-bob-notebooks"], Directory.GetDirectories(executed).Select(Path.GetFileName).Order());
        Assert.Contains("written by alice", File.ReadAllText(Path.Combine(executed, "01-alice-notebooks", "04-list-downline.ipynb")));
        Assert.Contains("written by bob", File.ReadAllText(Path.Combine(executed, "02-bob-notebooks", "04-list-downline.ipynb")));
    }

    [Fact]
    public void Executed_folders_are_named_after_what_tells_the_graded_folders_apart()
    {
        Assert.Equal(["01-alice-notebooks", "02-bob-notebooks"], ExecutedFolders.Names(["/h/alice/notebooks", "/h/bob/notebooks/"]));
        Assert.Equal(["01-notebooks"], ExecutedFolders.Names(["/h/alice/notebooks"]));
        Assert.Equal(["01-a_b", "02-a_b"], ExecutedFolders.Names(["/h/a b", "/h/a*b"])); // alike once made safe, apart by number
    }
}
