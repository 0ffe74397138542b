namespace Mlm.Workbook.Kernel;

/// <summary>
/// Microsoft's final .NET Interactive kernel, the reference this workbook's notebooks, runner and kernel are held to:
/// installed as a .NET tool into a folder of the caller's, and started as a Jupyter kernel from a kernelspec.
/// </summary>
public static class ReferenceKernel
{
    /// <summary>The release: dotnet-interactive 1.0.712001, the last one.</summary>
    public const string Version = "1.0.712001";

    /// <summary>Installs the reference kernel into <paramref name="folder"/> and returns its executable.</summary>
    /// <exception cref="InvalidOperationException">The tool could not be installed; the message says so loudly, with what dotnet said.</exception>
    public static async Task<string> InstallAsync(string folder, CancellationToken cancellationToken = default)
    {
        var install = await ExternalProgram.RunAsync(
            "dotnet", ["tool", "install", "--tool-path", folder, "Microsoft.dotnet-interactive", "--version", Version], cancellationToken: cancellationToken);
        var tool = Path.Combine(folder, OperatingSystem.IsWindows() ? "dotnet-interactive.exe" : "dotnet-interactive");
        if (install is not { ExitCode: 0 } || !File.Exists(tool))
            throw new InvalidOperationException(
                $"THE REFERENCE KERNEL COULD NOT BE INSTALLED: `dotnet tool install Microsoft.dotnet-interactive --version {Version}` failed, " +
                $"so nothing can be checked or measured against it.\n{install?.AllOutput ?? "dotnet could not be started."}");
        return tool;
    }

    /// <summary>
    /// The kernelspec argv that starts the installed tool as a Jupyter C# kernel. It also serves HTTP on the first free port
    /// of a range: a range of this caller's own, so that two runs at once do not race for one port.
    /// </summary>
    public static string[] Argv(string tool)
    {
        var ports = Random.Shared.Next(20_000, 40_000);
        return [tool, "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", $"{ports}-{ports + 500}"];
    }
}
