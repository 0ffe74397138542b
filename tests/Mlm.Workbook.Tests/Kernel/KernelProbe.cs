using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Tests.Kernel;

/// <summary>Runs the Python scripts under <c>tests/kernel/</c> with Debian's Jupyter stack and reads what they print.</summary>
public static class KernelProbe
{
    /// <summary>Debian's interpreter, which has jupyter_client and jupyter_kernel_test (a pyenv shim may come first on PATH).</summary>
    public static string Python => Environment.GetEnvironmentVariable("MLM_JUPYTER_PYTHON") is { Length: > 0 } python ? python
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static string RepositoryRoot => Path.GetDirectoryName(NodePackages.Folder())!;

    public static string Script(string name) => Path.Combine(RepositoryRoot, "tests", "kernel", name);

    /// <summary>Runs <c>probe.py COMMAND CONNECTION_FILE ARGS</c>; fails the test with the script's stderr if it fails.</summary>
    public static async Task<JsonElement> RunAsync(string command, string connectionFile, params string[] arguments)
    {
        var (exitCode, output, errors) = await RunPythonAsync(null, [Script("probe.py"), command, connectionFile, .. arguments]);
        Assert.True(exitCode == 0, $"probe.py {command} failed ({exitCode}):\n{errors}");
        return JsonDocument.Parse(output).RootElement;
    }

    /// <summary>Runs Python with arguments and extra environment; returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunPythonAsync(IDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>The iopub messages of one probed request, by type.</summary>
    public static string[] Types(JsonElement iopub) => iopub.EnumerateArray().Select(m => m.GetProperty("type").GetString()!).ToArray();
}

/// <summary>A fresh connection file on loopback with free ports and a random key, in its own temporary folder.</summary>
public sealed class TempConnection : IDisposable
{
    public TempConnection(string signatureScheme = "hmac-sha256")
    {
        Folder = Directory.CreateTempSubdirectory("mlm-kernel-test-").FullName;
        var ports = FreePorts(5);
        Key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var json = new JsonObject
        {
            ["transport"] = "tcp", ["ip"] = "127.0.0.1", ["key"] = Key, ["signature_scheme"] = signatureScheme,
            ["shell_port"] = ports[0], ["control_port"] = ports[1], ["stdin_port"] = ports[2], ["iopub_port"] = ports[3], ["hb_port"] = ports[4],
            ["kernel_name"] = ".net-csharp",
        };
        Path = System.IO.Path.Combine(Folder, "connection.json");
        File.WriteAllText(Path, json.ToJsonString());
        Ports = ports;
    }

    public string Folder { get; }
    public string Path { get; }
    public string Key { get; }
    public int[] Ports { get; }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
