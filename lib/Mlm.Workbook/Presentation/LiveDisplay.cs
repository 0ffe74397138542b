using Microsoft.DotNet.Interactive.Formatting;

namespace Mlm.Workbook.Presentation;

/// <summary>
/// A value shown now and replaced in place later, for progress. The final .NET Interactive kernel's <c>display()</c>
/// announces one display id and hands back a handle with another, so its updates never reach the output they
/// should replace; this shows the value through the same formatter and returns the handle that was announced.
/// </summary>
public static class LiveDisplay
{
    /// <summary>Shows <paramref name="value"/> and returns the handle whose <c>Update</c> replaces it.</summary>
    /// <param name="value">What to show.</param>
    /// <param name="mimeTypes">Formats to show it in; by default the formatter's preferred ones.</param>
    public static DisplayedValue Show(object? value, params string[] mimeTypes)
    {
        DisplayedValue? announced = null;
        using (Formatter.SubscribeToDisplayedValues(shown => announced ??= shown))
        {
            value.Display(mimeTypes);
        }
        return announced ?? throw new InvalidOperationException("The value was not displayed.");
    }
}
