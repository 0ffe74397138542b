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
    public static string Script(string name) => Path.Combine(RepositoryRoot.Find(), "tests", "kernel", name);

    /// <summary>Runs <c>probe.py COMMAND CONNECTION_FILE ARGS</c>; fails the test with the script's stderr if it fails.</summary>
    public static async Task<JsonElement> RunAsync(string command, string connectionFile, params string[] arguments)
    {
        Requires.Python("jupyter_client", "zmq");
        var (exitCode, output, errors) = await Jupyter.RunPythonAsync([Script("probe.py"), command, connectionFile, .. arguments], null, TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"probe.py {command} failed ({exitCode}):\n{errors}");
        return JsonDocument.Parse(output).RootElement;
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
