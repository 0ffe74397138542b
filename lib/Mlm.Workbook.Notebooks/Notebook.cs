using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// An nbformat 4 notebook, kept as JSON so that every field this runner does not know about
/// (Polyglot metadata, cell ids, attachments) is written back unchanged.
/// </summary>
public sealed class Notebook
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly JsonObject _document;

    private Notebook(string path, JsonObject document)
    {
        Path = path;
        _document = document;
        Cells = document["cells"]!.AsArray().Select(cell => new NotebookCell(cell!.AsObject())).ToList();
        EnsureCellIds();
    }

    /// <summary>The cell ids nbformat 4.5 requires: kept where present, derived from the cell where missing.</summary>
    private void EnsureCellIds()
    {
        if ((_document["nbformat_minor"]?.GetValue<int>() ?? 0) < 5) _document["nbformat_minor"] = 5;
        var taken = new HashSet<string>(Cells.Select(c => c.Id).OfType<string>(), StringComparer.Ordinal);
        for (var index = 0; index < Cells.Count; index++)
        {
            if (Cells[index].Id is not null) continue;
            // Derived from the notebook, the position and the text, so that writing the same notebook twice gives the same ids.
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{Name}\n{index}\n{Cells[index].Source}"))).ToLowerInvariant();
            var id = hash.Substring(0, 8);
            for (var length = 9; !taken.Add(id); length++) id = hash.Substring(0, length);
            Cells[index].Id = id;
        }
    }

    /// <summary>Where the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The file name, such as <c>01-create-table.ipynb</c>.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; private set; }

    /// <summary>The notebook's title: its first markdown heading, or its file name.</summary>
    public string Title =>
        Cells.Where(c => c.Type == "markdown")
            .SelectMany(c => c.Source.Split('\n'))
            .FirstOrDefault(line => line.StartsWith("# ", StringComparison.Ordinal))?.Substring(2).Trim()
        ?? System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The default kernel from the Polyglot metadata; <c>csharp</c> when the notebook does not say.</summary>
    public string DefaultKernel =>
        _document["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() ?? "csharp";

    /// <summary>
    /// Refuses a notebook written for another kernel, by its kernelspec or language, so that Python is never compiled as C#.
    /// </summary>
    /// <exception cref="NotSupportedException">The notebook names a kernel or language other than C#.</exception>
    public void EnsureCSharp()
    {
        var kernelspec = _document["metadata"]?["kernelspec"];
        var name = kernelspec?["name"]?.GetValue<string>();
        var language = kernelspec?["language"]?.GetValue<string>() ?? _document["metadata"]?["language_info"]?["name"]?.GetValue<string>();
        var csharp = language is null || CSharpLanguages.Contains(language);
        if (csharp && (name is null || name.Contains("csharp", StringComparison.OrdinalIgnoreCase))) return;
        var display = kernelspec?["display_name"]?.GetValue<string>() ?? name ?? language;
        throw new NotSupportedException(
            $"this notebook is for the {display} kernel ({name ?? "no kernelspec"}, language {language ?? "unknown"}); the workbook runs C# notebooks only.");
    }

    private static readonly HashSet<string> CSharpLanguages = new(StringComparer.OrdinalIgnoreCase) { "C#", "csharp", "polyglot-notebook" };

    /// <summary>A stand-in for a notebook that could not be read: one markdown cell that says why.</summary>
    public static Notebook Unreadable(string path, string reason) => new(System.IO.Path.GetFullPath(path), new JsonObject
    {
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
        ["metadata"] = new JsonObject(),
        ["cells"] = new JsonArray(new JsonObject
        {
            ["cell_type"] = "markdown",
            ["metadata"] = new JsonObject(),
            ["source"] = NotebookCell.SourceLines($"# {System.IO.Path.GetFileName(path)}\n\nThis notebook could not be read: {reason}"),
        }),
    });

    /// <summary>The largest notebook file read: a larger one could not be written back (a JSON string tops out near 166 MB).</summary>
    public const long MaxFileBytes = 100L * 1024 * 1024;

    /// <summary>Reads a notebook file.</summary>
    /// <exception cref="FormatException">The file is not an nbformat 4 notebook, or is larger than <see cref="MaxFileBytes"/>.</exception>
    public static Notebook Load(string path)
    {
        if (new FileInfo(path).Length is var bytes && bytes > MaxFileBytes)
            throw new FormatException($"{System.IO.Path.GetFileName(path)} is {bytes / (1024 * 1024)} MB; a notebook the workbook runs holds at most {MaxFileBytes / (1024 * 1024)} MB.");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not valid JSON: {e.Message}");
        }
        if (root is not JsonObject document || document["nbformat"]?.GetValue<int>() != 4 || document["cells"] is not JsonArray)
            throw new FormatException($"{path} is not an nbformat 4 notebook (it needs \"nbformat\": 4 and a \"cells\" list).");
        return new Notebook(System.IO.Path.GetFullPath(path), document);
    }

    /// <summary>Inserts a code cell after the given one, as papermill does for injected parameters.</summary>
    public NotebookCell InsertCodeCellAfter(NotebookCell cell, string source, string tag)
    {
        var cells = _document["cells"]!.AsArray();
        var json = new JsonObject
        {
            ["id"] = tag,
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = new JsonObject
            {
                ["tags"] = new JsonArray(tag),
                ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
            },
            ["outputs"] = new JsonArray(),
            ["source"] = NotebookCell.SourceLines(source),
        };
        var index = Cells.ToList().IndexOf(cell);
        cells.Insert(index + 1, json);
        Cells = cells.Select(c => new NotebookCell(c!.AsObject())).ToList();
        return Cells[index + 1];
    }

    /// <summary>The notebook as nbformat 4 JSON text.</summary>
    public string ToJson() => _document.ToJsonString(WriteOptions) + "\n";

    /// <summary>Writes the notebook, all at once: a save cut off half way leaves the file as it was.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());
}

/// <summary>One cell of a notebook.</summary>
public sealed class NotebookCell
{
    private readonly JsonObject _json;

    internal NotebookCell(JsonObject json) => _json = json;

    /// <summary>The cell's nbformat 4.5 id.</summary>
    public string? Id
    {
        get => _json["id"]?.GetValue<string>();
        internal set => _json["id"] = value;
    }

    /// <summary><c>code</c>, <c>markdown</c> or <c>raw</c>.</summary>
    public string Type => _json["cell_type"]?.GetValue<string>() ?? "raw";

    /// <summary>The cell's text (nbformat allows a string or a list of lines).</summary>
    public string Source => _json["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        JsonValue text => text.GetValue<string>(),
        _ => "",
    };

    /// <summary>The cell's kernel from its metadata (Polyglot's, or the older .NET Interactive key), if any.</summary>
    public string? KernelName =>
        _json["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
        ?? _json["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>();

    /// <summary>The cell's tags, such as <c>parameters</c>.</summary>
    public IReadOnlyList<string> Tags =>
        _json["metadata"]?["tags"] is JsonArray tags ? tags.Select(t => t!.GetValue<string>()).ToList() : [];

    /// <summary>The outputs, as nbformat JSON.</summary>
    public JsonArray Outputs => _json["outputs"] as JsonArray ?? [];

    /// <summary>The execution count, or null when the cell has not run.</summary>
    public int? ExecutionCount => _json["execution_count"]?.GetValue<int>();

    /// <summary>Replaces the outputs and execution count of a code cell.</summary>
    public void SetOutputs(IEnumerable<JsonObject> outputs, int? executionCount)
    {
        _json["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o).ToArray());
        _json["execution_count"] = executionCount;
    }

    internal static JsonArray SourceLines(string source)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] != '\n') continue;
            lines.Add(source.Substring(start, i - start + 1));
            start = i + 1;
        }
        if (start < source.Length) lines.Add(source.Substring(start));
        return lines;
    }
}
