using System.Runtime.InteropServices;

namespace Mlm.Workbook.Cli;

/// <summary>
/// A ReadyToRun build of the command-line tool for the kernelspec to start: Roslyn and the rest compiled ahead of time,
/// so that a kernel's first cell does not wait for the JIT. Made once per build of the tool, in
/// <c>lib/Mlm.Workbook.Cli/bin/kernel/</c>; if it cannot be made (no SDK, no network for the runtime pack), the
/// kernelspec starts the running build instead, and says so.
/// </summary>
internal static class KernelPrecompile
{
    private static readonly string[] OwnAssemblies = ["mlm.dll", "Mlm.Workbook.dll", "Mlm.Workbook.Notebooks.dll", "Mlm.Workbook.Kernel.dll"];

    public static async Task<string[]> LauncherAsync(TextWriter log)
    {
        string project;
        try
        {
            project = Path.Combine(RepositoryRoot.Find(), "lib", "Mlm.Workbook.Cli", "Mlm.Workbook.Cli.csproj");
        }
        catch (DynamoDbLocalException)
        {
            return KernelVerb.Launcher(); // not run from a checkout of the repository
        }
        var output = Path.Combine(Path.GetDirectoryName(project)!, "bin", "kernel");
        var apphost = Path.Combine(output, OperatingSystem.IsWindows() ? "mlm.exe" : "mlm");
        var stamp = Path.Combine(output, ".built-from");
        // The build this install runs from: its own assemblies' newest write time.
        var source = OwnAssemblies.Select(name => Path.Combine(AppContext.BaseDirectory, name)).Where(File.Exists)
            .Max(File.GetLastWriteTimeUtc).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Directory.CreateDirectory(output);
        // One install at a time makes the build; the others wait for it and reuse it.
        await using var gate = await LockAsync(Path.Combine(Path.GetDirectoryName(project)!, "bin", "kernel.lock"));
        if (File.Exists(apphost) && File.Exists(stamp) && File.ReadAllText(stamp) == source) return [apphost];

        log.WriteLine("Compiling the kernel ahead of time (ReadyToRun), once per build; this takes a minute or two …");
        var publish = await ExternalProgram.RunAsync("dotnet",
        [
            "publish", project, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false",
            "-p:KernelReadyToRun=true", "-o", output, "--nologo", "-v", "q",
        ]);
        if (publish is not { ExitCode: 0 } || !File.Exists(apphost))
        {
            log.WriteLine("The ahead-of-time build failed, so the kernelspec starts this build instead (its first cell waits a few seconds longer):\n" +
                          (publish?.AllOutput.Trim() ?? "dotnet could not be started."));
            return KernelVerb.Launcher();
        }
        File.WriteAllText(stamp, source);
        return [apphost];
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(500);
            }
        }
    }
}
