namespace Mlm.Workbook.Tests.Platforms;

/// <summary>
/// A build puts the library where running kernels load it from without disturbing them: bin/current (which Polyglot
/// kernels load, and lock on Windows) and the workbook kernel's own copy in lib/Mlm.Workbook.Cli/bin/kernel.
/// </summary>
public class LibraryRefreshTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void On_Windows_a_locked_file_is_moved_aside_and_the_new_one_put_in_its_place()
    {
        var folder = Directory.CreateTempSubdirectory("replace-");
        try
        {
            var source = Write(folder, "new/Mlm.Workbook.dll", "new build");
            var destination = Write(folder, "current/Mlm.Workbook.dll", "the old build");
            // Windows: a loaded DLL cannot be overwritten or deleted, but it can be renamed.
            void WindowsMove(string from, string to, bool overwrite)
            {
                if (File.Exists(to)) throw new IOException($"The process cannot access the file '{to}' because it is being used by another process.");
                FileReplacement.Move(from, to, overwrite);
            }

            Assert.Equal(FileReplacement.Outcome.MovedAside, FileReplacement.Replace(source, destination, WindowsMove));

            Assert.Equal("new build", File.ReadAllText(destination));
            var aside = Path.Combine(folder.FullName, "current", FileReplacement.AsideFolder);
            Assert.Equal("the old build", File.ReadAllText(Assert.Single(Directory.GetFiles(aside))));
            Assert.Single(Directory.GetFiles(Path.Combine(folder.FullName, "current"))); // no temporary copy left behind
            Assert.Equal(FileReplacement.Outcome.Unchanged, FileReplacement.Replace(source, destination, WindowsMove));

            // The next build deletes what was moved aside once nothing holds it any more.
            File.WriteAllText(source, "newer build");
            Assert.Equal(FileReplacement.Outcome.MovedAside, FileReplacement.Replace(source, destination, WindowsMove));
            Assert.Equal("new build", File.ReadAllText(Assert.Single(Directory.GetFiles(aside))));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_program_that_has_the_old_file_open_keeps_reading_the_old_one()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "On Windows an open file is moved aside instead.");
        var folder = Directory.CreateTempSubdirectory("replace-");
        try
        {
            var source = Write(folder, "new/Mlm.Workbook.dll", "new build");
            var destination = Write(folder, "current/Mlm.Workbook.dll", "the old build");
            using var loaded = new FileStream(destination, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

            Assert.Equal(FileReplacement.Outcome.Replaced, FileReplacement.Replace(source, destination, FileReplacement.Move));

            Assert.Equal("the old build", new StreamReader(loaded).ReadToEnd());
            Assert.Equal("new build", File.ReadAllText(destination));
            Assert.Equal(File.GetLastWriteTimeUtc(source), File.GetLastWriteTimeUtc(destination));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Dotnet_build_refreshes_the_library_the_installed_kernel_loads()
    {
        var library = Path.Combine(RepositoryRoot.Find(), "lib", "Mlm.Workbook");
        var kernel = Directory.CreateTempSubdirectory("kernel-");
        var noKernel = Path.Combine(kernel.FullName, "not-installed") + Path.DirectorySeparatorChar;
        try
        {
            // What `kernel install` left: its own (ReadyToRun) copy, built before the library was edited.
            var stale = Write(kernel, "Mlm.Workbook.dll", "built before the edit");
            File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-1));

            foreach (var target in new[] { kernel.FullName + Path.DirectorySeparatorChar, noKernel })
            {
                var build = await ExternalProgram.RunAsync("dotnet",
                    ["build", Path.Combine(library, "Mlm.Workbook.csproj"), "--no-restore", "--nologo", "-v", "q", $"-p:KernelDirectory={target}"],
                    cancellationToken: Cancel);
                Assert.True(build is { ExitCode: 0 }, build?.AllOutput);
            }

            var current = Path.Combine(library, "bin", "current", "Mlm.Workbook.dll");
            Assert.Equal(File.ReadAllBytes(current), File.ReadAllBytes(stale));
            Assert.Equal(File.GetLastWriteTimeUtc(current), File.GetLastWriteTimeUtc(stale));
            Assert.True(File.Exists(Path.Combine(kernel.FullName, "Mlm.Workbook.xml")));
            // Without an installed kernel there is nothing to refresh, and nothing is made.
            Assert.False(Directory.Exists(noKernel));
        }
        finally
        {
            kernel.Delete(recursive: true);
        }
    }

    private static string Write(DirectoryInfo folder, string relative, string text)
    {
        var path = Path.Combine(folder.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
