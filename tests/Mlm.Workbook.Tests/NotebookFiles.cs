using System.Text.Json.Nodes;

namespace Mlm.Workbook.Tests;

/// <summary>Writes small purpose-made Polyglot notebooks into a temporary folder.</summary>
public sealed class NotebookFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("notebooks-").FullName;

    public static JsonObject Markdown(string source) => new()
    {
        ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source,
    };

    public static JsonObject Code(string source, string kernel = "csharp", params string[] tags)
    {
        var metadata = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernel } };
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray());
        return new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = metadata, ["outputs"] = new JsonArray(), ["source"] = source,
        };
    }

    /// <summary>The <c>#r</c> line loading the library, as the workbook's notebooks write it.</summary>
    public static string LibraryReference => $"#r \"{typeof(Member).Assembly.Location}\"";

    public string Write(string name, params JsonObject[] cells)
    {
        var notebook = new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["display_name"] = ".NET (C#)", ["language"] = "C#" },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
                ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp" } },
            },
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
        };
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
