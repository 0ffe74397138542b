using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Tests;

/// <summary>Saves are all or nothing: a save cut off half way leaves the old file, and the runner and report save that way.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly NotebookFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_save_cut_off_half_way_leaves_the_old_file_whole_and_no_temporary_file()
    {
        var path = Path.Combine(_files.Folder, "01-kept.ipynb");
        File.WriteAllText(path, "{\"old\": true}\n");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("{\"new\": "u8);
            throw new IOException("killed mid-save");
        }));

        Assert.Equal("{\"old\": true}\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_files.Folder));

        AtomicFile.WriteAllText(path, "{\"new\": true}\n");
        Assert.Equal("{\"new\": true}\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_files.Folder));
    }

    [Fact]
    public async Task Notebooks_and_the_report_are_replaced_by_a_rename_not_rewritten_in_place()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "A hard link shows whether a file was rewritten in place.");
        var notebookPath = _files.Write("01-saved.ipynb", NotebookFiles.Markdown("# Saved"));
        var reportPath = Path.Combine(_files.Folder, "report.html");
        File.WriteAllText(reportPath, "old report");
        var notebook = Notebook.Load(notebookPath);
        var before = File.ReadAllText(notebookPath);

        // A second name for each file's current content: a rewrite in place would change what it reads, a rename does not.
        foreach (var path in new[] { notebookPath, reportPath })
            Assert.Equal(0, (await ExternalProgram.RunAsync("ln", [path, path + ".before"], cancellationToken: TestContext.Current.CancellationToken))!.ExitCode);

        notebook.Save(notebookPath);
        HtmlReport.Write([new NotebookResult(notebook, notebookPath, 0, 0, null, TimeSpan.Zero)], reportPath,
            await NodePackages.PlotlyScriptAsync(TestContext.Current.CancellationToken));

        Assert.Equal(before, File.ReadAllText(notebookPath + ".before"));
        Assert.Equal("old report", File.ReadAllText(reportPath + ".before"));
        Assert.Contains("Saved", File.ReadAllText(reportPath));
        Assert.Equal(4, Directory.GetFiles(_files.Folder).Length); // no temporary file left behind
    }
}
