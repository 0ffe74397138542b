using Mlm.Workbook.Kernel;

namespace Mlm.Workbook.Cli;

/// <summary><c>kernel install|uninstall|start</c>: this workbook's own Jupyter kernel for VS Code, JupyterLab and Notebook.</summary>
public static class KernelVerb
{
    private const string Usage = """
        Usage: kernel install [--path DIR] [--force]   write the .net-csharp kernelspec (default: the user's Jupyter data folder)
               kernel uninstall [--path DIR]           remove it, if this workbook wrote it
               kernel start CONNECTION_FILE            run the kernel (what the kernelspec's argv does)
        """;

    /// <summary>Runs one kernel subcommand; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        switch (arguments.ToArray())
        {
            case ["start", var connectionFile]:
                var code = await KernelHost.RunAsync(connectionFile, CreateEngine);
                // A cell's own foreground threads must not keep the kernel alive after shutdown.
                Environment.Exit(code);
                return code;
            case ["install", .. var options] when Parse(options, allowForce: true) is { } install:
                return Report(KernelSpec.Install(install.Directory, Launcher(), install.Force));
            case ["uninstall", .. var options] when Parse(options, allowForce: false) is { } uninstall:
                return Report(KernelSpec.Uninstall(uninstall.Directory));
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    private static (string Directory, bool Force)? Parse(string[] options, bool allowForce)
    {
        string? directory = null;
        var force = false;
        for (var i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "--path" when i + 1 < options.Length: directory = Path.GetFullPath(options[++i]); break;
                case "--force" when allowForce: force = true; break;
                default: return null;
            }
        }
        return (directory ?? JupyterPaths.UserDataDirectory(), force);
    }

    /// <summary>The built CLI itself: its apphost, or <c>dotnet mlm.dll</c> when run through the dotnet host.</summary>
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
