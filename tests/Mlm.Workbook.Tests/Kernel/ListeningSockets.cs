using System.Globalization;
using System.Net;

namespace Mlm.Workbook.Tests.Kernel;

/// <summary>Listening TCP sockets as Linux reports them in /proc/net/tcp and tcp6, optionally only those a process owns.</summary>
public sealed record ListeningSockets(IPAddress Address, int Port, long Inode)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    public static IReadOnlyList<ListeningSockets> All() =>
        [.. Read("/proc/net/tcp", ipv6: false), .. Read("/proc/net/tcp6", ipv6: true)];

    /// <summary>The listening sockets whose inodes appear among the process's file descriptors.</summary>
    public static IReadOnlyList<ListeningSockets> OwnedBy(int pid)
    {
        var inodes = new HashSet<long>();
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(long.Parse(target["socket:[".Length..^1], CultureInfo.InvariantCulture));
            }
            catch (IOException) { }
        }
        return All().Where(s => inodes.Contains(s.Inode)).ToList();
    }

    private static IEnumerable<ListeningSockets> Read(string file, bool ipv6)
    {
        if (!File.Exists(file)) yield break;
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != "0A") continue; // 0A = LISTEN
            var (hex, port) = (fields[1].Split(':')[0], int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber));
            yield return new ListeningSockets(Parse(hex, ipv6), port, long.Parse(fields[9], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>/proc writes addresses as host-order 32-bit words in hex.</summary>
    private static IPAddress Parse(string hex, bool ipv6)
    {
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
            for (var b = 0; b < 4; b++)
                bytes[word * 4 + b] = byte.Parse(hex.AsSpan(word * 8 + (3 - b) * 2, 2), NumberStyles.HexNumber);
        var address = new IPAddress(bytes);
        return ipv6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
