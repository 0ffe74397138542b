using System.Text.Json.Nodes;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// Where a running cell's outputs go, as it produces them. The headless runner collects them into the notebook;
/// the Jupyter kernel publishes each one at once. A mime bundle maps a mime type to text, or to a JSON value for
/// the <c>+json</c> types, and always holds <c>text/plain</c>.
/// </summary>
public interface ICellOutputSink
{
    /// <summary>Console text, as the cell writes it.</summary>
    /// <param name="name"><c>stdout</c> or <c>stderr</c>.</param>
    /// <param name="text">The text written.</param>
    void Stream(string name, string text);

    /// <summary>A value shown with <c>display()</c>, which a later <see cref="UpdateDisplay"/> with the same id replaces.</summary>
    void Display(string displayId, JsonObject data);

    /// <summary>Replaces what <see cref="Display"/> showed under <paramref name="displayId"/>.</summary>
    void UpdateDisplay(string displayId, JsonObject data);

    /// <summary>The value of the cell's trailing expression.</summary>
    void Result(JsonObject data);

    /// <summary>The cell failed: compiler errors, an exception, or an interruption.</summary>
    void Error(string name, string value, IReadOnlyList<string> traceback);
}
