using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Tests.Kernel;

/// <summary>
/// The real kernel, as a front end starts it: <c>mlm kernel install --path</c> into a temporary folder, then the
/// kernelspec's argv with a fresh connection file, in a notebook folder of its own.
/// </summary>
public sealed class KernelProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;

    private KernelProcess(string dataDirectory, Process process, TempConnection connection, string notebookFolder)
    {
        DataDirectory = dataDirectory;
        _process = process;
        Connection = connection;
        NotebookFolder = notebookFolder;
        _errors = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The Jupyter data folder the kernelspec was installed into (put it in JUPYTER_PATH).</summary>
    public string DataDirectory { get; }
    public TempConnection Connection { get; }
    public string NotebookFolder { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>The built command-line tool the tests project builds alongside itself.</summary>
    public static string Cli
    {
        get
        {
            // The tests run from bin/<Configuration>/net10.0/; the CLI is built with the same configuration.
            var configuration = Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!;
            var folder = Path.Combine(RepositoryRoot.Find(), "lib", "Mlm.Workbook.Cli", "bin", configuration, "net10.0");
            var apphost = Path.Combine(folder, OperatingSystem.IsWindows() ? "mlm.exe" : "mlm");
            Assert.True(File.Exists(apphost), $"the CLI is not built at {apphost}");
            return apphost;
        }
    }

    /// <summary>Runs <c>mlm kernel install --path DIR</c> into a new temporary folder; returns the folder.</summary>
    public static async Task<string> InstallAsync()
    {
        var data = Directory.CreateTempSubdirectory("mlm-jupyter-data-").FullName;
        var start = new ProcessStartInfo(Cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "kernel", "install", "--path", data, "--no-precompile" }) start.ArgumentList.Add(argument);
        using var install = Process.Start(start)!;
        var errors = install.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await install.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await install.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(install.ExitCode == 0, $"kernel install failed: {await errors}");
        return data;
    }

    /// <summary>Installs the kernelspec and starts the kernel its argv names; <paramref name="parentPid"/> becomes JPY_PARENT_PID.</summary>
    public static async Task<KernelProcess> StartAsync(int? parentPid = null)
    {
        var data = await InstallAsync();
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(data, "kernels", ".net-csharp", "kernel.json"), TestContext.Current.CancellationToken))!;
        var connection = new TempConnection();
        var notebookFolder = Directory.CreateDirectory(Path.Combine(connection.Folder, "notebook")).FullName;
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>().Replace("{connection_file}", connection.Path)).ToList();
        var start = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = notebookFolder,
            RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        foreach (var argument in argv.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment.Remove("JPY_PARENT_PID");
        if (parentPid is { } pid) start.Environment["JPY_PARENT_PID"] = pid.ToString();
        start.Environment["MLM_DYNAMODB_PORT"] = Environment.GetEnvironmentVariable("MLM_DYNAMODB_PORT") ?? "8611";
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        return new KernelProcess(data, process, connection, notebookFolder);
    }

    /// <summary>Waits for the kernel to end by itself; false if it is still running after <paramref name="limit"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        try
        {
            await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(limit, TestContext.Current.CancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>What the kernel wrote to stderr (only complete once it has exited).</summary>
    public async Task<string> ErrorsAsync() => _process.HasExited ? await _errors : "(still running)";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Connection.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
