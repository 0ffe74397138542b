using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// The <c>.net-csharp</c> kernelspec this workbook installs: the name Polyglot notebooks already carry in
/// <c>metadata.kernelspec.name</c>, so front ends pick this kernel for them. Ours is marked in its metadata, so a
/// kernelspec someone else wrote under that name (dotnet-interactive's) is never overwritten or removed by accident.
/// </summary>
public static class KernelSpec
{
    /// <summary>The kernelspec's name (its folder under <c>kernels/</c>).</summary>
    public const string Name = ".net-csharp";

    /// <summary>What front ends show.</summary>
    public const string DisplayName = ".NET (C#)";

    /// <summary>The language the notebooks' metadata names.</summary>
    public const string Language = "C#";

    private const string Marker = "mlm_workbook";

    /// <summary>The kernelspec folder under a Jupyter data folder: <c>DIR/kernels/.net-csharp</c>.</summary>
    public static string Folder(string dataDirectory) => Path.Combine(dataDirectory, "kernels", Name);

    /// <summary>The kernel.json for a kernel started by <paramref name="launcher"/> (the command before <c>kernel start</c>).</summary>
    public static JsonObject Document(IReadOnlyList<string> launcher) => new()
    {
        ["argv"] = new JsonArray([.. launcher.Concat(["kernel", "start", "{connection_file}"]).Select(a => (JsonNode?)JsonValue.Create(a))]),
        ["display_name"] = DisplayName,
        ["language"] = Language,
        ["interrupt_mode"] = "message",
        ["metadata"] = new JsonObject
        {
            [Marker] = new JsonObject { ["written_by"] = "mlm kernel install", ["uninstall"] = "mlm kernel uninstall" },
        },
    };

    /// <summary>
    /// Writes a kernelspec for another kernel (the reference kernel, ipykernel) into <c>DIR/kernels/NAME/</c>, for a
    /// Jupyter folder of one's own, as the tests and the benchmark use; it carries no marker of ours.
    /// </summary>
    public static void WriteOther(string dataDirectory, string name, IEnumerable<string> argv, string displayName, string language)
    {
        var folder = Directory.CreateDirectory(Path.Combine(dataDirectory, "kernels", name)).FullName;
        AtomicFile.WriteAllText(Path.Combine(folder, "kernel.json"), new JsonObject
        {
            ["argv"] = new JsonArray([.. argv.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["display_name"] = displayName,
            ["language"] = language,
        }.ToJsonString());
    }

    /// <summary>What an install or uninstall did, in words for the user; <c>Succeeded</c> false when it left things alone.</summary>
    public sealed record Outcome(bool Succeeded, string Message);

    /// <summary>Writes the kernelspec into <paramref name="dataDirectory"/>, unless a kernelspec we did not write is there and <paramref name="force"/> is false.</summary>
    public static Outcome Install(string dataDirectory, IReadOnlyList<string> launcher, bool force)
    {
        var folder = Folder(dataDirectory);
        var file = Path.Combine(folder, "kernel.json");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !IsOurs(file) && !force)
            return new Outcome(false,
                $"A kernelspec named {Name} that this workbook did not write is already in {folder}{Describe(file)}.\n" +
                "It was left alone. To replace it with this workbook's kernel, run: kernel install --force\n" +
                $"To keep it, install ours elsewhere with --path DIR and put DIR first in JUPYTER_PATH, or remove it first (jupyter kernelspec remove {Name}).");

        if (Directory.Exists(folder) && !IsOurs(file)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(file, Document(launcher).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return new Outcome(true, $"Installed the {Name} kernelspec (\"{DisplayName}\") in {folder}\nIt starts: {string.Join(' ', launcher)} kernel start {{connection_file}}");
    }

    /// <summary>Removes the kernelspec from <paramref name="dataDirectory"/> if this workbook wrote it.</summary>
    public static Outcome Uninstall(string dataDirectory)
    {
        var folder = Folder(dataDirectory);
        var file = Path.Combine(folder, "kernel.json");
        if (!Directory.Exists(folder)) return new Outcome(true, $"No {Name} kernelspec in {Path.GetDirectoryName(folder)}; nothing to remove.");
        if (!IsOurs(file))
            return new Outcome(false, $"The {Name} kernelspec in {folder} was not written by this workbook{Describe(file)}; it was left alone.");
        Directory.Delete(folder, recursive: true);
        return new Outcome(true, $"Removed the {Name} kernelspec from {folder}.");
    }

    /// <summary>Whether the kernel.json at <paramref name="file"/> carries our marker.</summary>
    public static bool IsOurs(string file) => Read(file)?["metadata"]?[Marker] is JsonObject;

    private static JsonObject? Read(string file)
    {
        try
        {
            return File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file)) as JsonObject : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Describe(string file) =>
        Read(file)?["argv"] is JsonArray argv ? $" (it starts: {string.Join(' ', argv.Select(a => a?.ToString()))})" : "";
}
