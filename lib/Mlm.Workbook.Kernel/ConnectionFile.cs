using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// The connection file a Jupyter front end writes before starting a kernel: where each channel listens and the
/// key that signs every message.
/// </summary>
public sealed record ConnectionFile
{
    /// <summary><c>tcp</c> or <c>ipc</c>.</summary>
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";

    /// <summary>The address to bind (for tcp an IP such as 127.0.0.1; for ipc a path prefix).</summary>
    [JsonPropertyName("ip")] public string Ip { get; init; } = "127.0.0.1";

    /// <summary>The shell channel's port.</summary>
    [JsonPropertyName("shell_port")] public int ShellPort { get; init; }

    /// <summary>The control channel's port.</summary>
    [JsonPropertyName("control_port")] public int ControlPort { get; init; }

    /// <summary>The stdin channel's port.</summary>
    [JsonPropertyName("stdin_port")] public int StdinPort { get; init; }

    /// <summary>The iopub channel's port.</summary>
    [JsonPropertyName("iopub_port")] public int IOPubPort { get; init; }

    /// <summary>The heartbeat channel's port.</summary>
    [JsonPropertyName("hb_port")] public int HeartbeatPort { get; init; }

    /// <summary>The HMAC key; empty means messages are not signed.</summary>
    [JsonPropertyName("key")] public string Key { get; init; } = "";

    /// <summary>For example <c>hmac-sha256</c>.</summary>
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; init; } = "hmac-sha256";

    /// <summary>The kernelspec name the front end started, when it says.</summary>
    [JsonPropertyName("kernel_name")] public string? KernelName { get; init; }

    /// <summary>Reads and checks a connection file.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="FormatException">The file is not a usable connection file.</exception>
    public static ConnectionFile Load(string path) =>
        File.Exists(path)
            ? Parse(File.ReadAllText(path))
            : throw new FileNotFoundException(
                $"No connection file at {path}. A Jupyter front end writes one and starts the kernel with it; to use this kernel, run `kernel install` and pick \".NET (C#)\" in VS Code or Jupyter.", path);

    /// <summary>Parses and checks a connection file's JSON.</summary>
    /// <exception cref="FormatException">The text is not a usable connection file.</exception>
    public static ConnectionFile Parse(string json)
    {
        ConnectionFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ConnectionFile>(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The connection file is not valid JSON: {e.Message}", e);
        }
        if (file is null) throw new FormatException("The connection file is empty.");
        if (file.Transport is not ("tcp" or "ipc")) throw new FormatException($"Unknown transport \"{file.Transport}\" (expected tcp or ipc).");
        if (string.IsNullOrWhiteSpace(file.Ip)) throw new FormatException("The connection file names no ip.");
        foreach (var (name, port) in file.Ports)
            if (port is <= 0 or > 65535) throw new FormatException($"The connection file's {name} is {port}; a port is 1-65535.");
        return file;
    }

    /// <summary>Each channel's port, by its connection-file name.</summary>
    [JsonIgnore]
    public IEnumerable<(string Name, int Port)> Ports =>
        [("shell_port", ShellPort), ("control_port", ControlPort), ("stdin_port", StdinPort), ("iopub_port", IOPubPort), ("hb_port", HeartbeatPort)];

    /// <summary>The ZeroMQ address one channel binds to: <c>tcp://ip:port</c>, or <c>ipc://ip-port</c> as jupyter_client names it.</summary>
    public string Endpoint(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"tcp://{Ip}:{port}";
}
