using System.CommandLine;

namespace Mlm.Workbook.Cli;

/// <summary>
/// The <c>kernel install|uninstall|start</c> verb's options and help; the work is <see cref="KernelVerb"/>'s.
/// </summary>
internal static class KernelCommand
{
    public static Command Command()
    {
        var installPath = new Option<string>("--path") { Description = "Jupyter data folder to write the kernelspec into (default: the user's Jupyter data folder)", HelpName = "DIR" };
        var force = CliOptions.Flag("--force", "Replace a kernelspec of the same name that this workbook did not write");
        var noPrecompile = CliOptions.Flag("--no-precompile", "Start the kernel from this build instead of a ReadyToRun build made once here (a faster install, a slower first cell)");
        var install = new Command("install", "Write the .net-csharp kernelspec, so VS Code, JupyterLab and Notebook find this workbook's kernel.") { installPath, force, noPrecompile };
        install.SetAction((result, _) => KernelVerb.InstallAsync(result.GetValue(installPath) is { } p ? Path.GetFullPath(p) : null, result.GetValue(force), !result.GetValue(noPrecompile)));

        var uninstallPath = new Option<string>("--path") { Description = "Jupyter data folder the kernelspec was written into (default: the user's Jupyter data folder)", HelpName = "DIR" };
        var uninstall = new Command("uninstall", "Remove the kernelspec, if this workbook wrote it.") { uninstallPath };
        uninstall.SetAction((result, _) => Task.FromResult(KernelVerb.Uninstall(result.GetValue(uninstallPath) is { } p ? Path.GetFullPath(p) : null)));

        var connectionFile = new Argument<string>("CONNECTION_FILE") { Description = "The connection file a Jupyter front end writes (the kernelspec's {connection_file})" };
        var start = new Command("start", "Run the kernel (what the kernelspec's argv does).") { connectionFile };
        start.SetAction((result, _) => KernelVerb.StartAsync(result.GetValue(connectionFile)!));

        return new Command("kernel", "This workbook's Jupyter kernel (.net-csharp) for VS Code, JupyterLab and Notebook.") { install, uninstall, start };
    }
}
