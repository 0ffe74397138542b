using Microsoft.DotNet.Interactive.Formatting;
using Mlm.Workbook.Presentation;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// What a cell can call without qualification, as in the Polyglot C# kernel: <c>display(value)</c>.
/// </summary>
public sealed class KernelGlobals
{
    /// <summary>Shows a value as a display_data output now, without ending the cell.</summary>
    /// <param name="value">What to show.</param>
    /// <param name="mimeTypes">Formats to show it in; by default the formatter's preferred ones.</param>
    /// <returns>The handle whose <c>Update</c> replaces what was shown, for progress.</returns>
#pragma warning disable IDE1006 // the kernel's own name is lower case
    public DisplayedValue display(object? value, params string[] mimeTypes) => LiveDisplay.Show(value, mimeTypes);
#pragma warning restore IDE1006
}
