// The notebook session's contract, as agreed, until Mlm.Workbook.Notebooks ships it; this file goes when it lands.
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Notebooks;

/// <summary>Where a running cell's outputs go, as the cell produces them.</summary>
public interface ICellOutputSink
{
    /// <summary>Text written to <c>stdout</c> or <c>stderr</c>.</summary>
    void Stream(string name, string text);
    /// <summary>A new display.</summary>
    void Display(string displayId, JsonObject data);
    /// <summary>A new version of an earlier display.</summary>
    void UpdateDisplay(string displayId, JsonObject data);
    /// <summary>The cell's trailing expression.</summary>
    void Result(JsonObject data);
    /// <summary>The cell failed.</summary>
    void Error(string name, string value, IReadOnlyList<string> traceback);
}

/// <summary>How a cell ended.</summary>
public sealed record CellRun(bool Succeeded, string? Error, bool Interrupted = false);

/// <summary>Completions for the text before the cursor.</summary>
public sealed record CompletionResult(IReadOnlyList<string> Matches, int CursorStart, int CursorEnd);

/// <summary>What the symbol under the cursor is.</summary>
public sealed record InspectionResult(JsonObject Data);

/// <summary>Whether a cell is ready to run.</summary>
public sealed record IsCompleteResult(string Status, string Indent = "");
