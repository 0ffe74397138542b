using Mlm.Workbook.Kernel;

namespace Mlm.Workbook.Cli;

/// <summary><c>kernel install|uninstall|start</c>: this workbook's own Jupyter kernel for VS Code, JupyterLab and Notebook.</summary>
public static class KernelVerb
{
    /// <summary>Writes the kernelspec; by default it starts a ReadyToRun build of the kernel, made here once.</summary>
    public static async Task<int> InstallAsync(string? directory, bool force, bool precompile)
    {
        var launcher = precompile ? await KernelPrecompile.LauncherAsync(Console.Out) : Launcher();
        return Report(KernelSpec.Install(directory ?? JupyterPaths.UserDataDirectory(), launcher, force));
    }

    /// <summary>Removes the kernelspec, if this workbook wrote it.</summary>
    public static int Uninstall(string? directory) => Report(KernelSpec.Uninstall(directory ?? JupyterPaths.UserDataDirectory()));

    /// <summary>Runs the kernel until the front end shuts it down or goes away.</summary>
    public static async Task<int> StartAsync(string connectionFile)
    {
        var code = await KernelHost.RunAsync(connectionFile, CreateEngine);
        // A cell's own foreground threads must not keep the kernel alive after shutdown.
        Environment.Exit(code);
        return code;
    }

    /// <summary>The running CLI itself: its apphost, or <c>dotnet mlm.dll</c> when run through the dotnet host.</summary>
    internal static string[] Launcher()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell where this program is.");
        return Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? [process, Path.Combine(AppContext.BaseDirectory, "mlm.dll")]
            : [process];
    }

    private static int Report(KernelSpec.Outcome outcome)
    {
        (outcome.Succeeded ? Console.Out : Console.Error).WriteLine(outcome.Message);
        return outcome.Succeeded ? 0 : 1;
    }

    /// <summary>The front end starts the kernel in the notebook's folder, which is where its cells run.</summary>
    private static IKernelEngine CreateEngine() => new NotebookSessionEngine(Environment.CurrentDirectory);
}
