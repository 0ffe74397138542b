namespace Mlm.Workbook.Notebooks;

/// <summary>
/// What a cell can call without qualification, as in the Polyglot C# kernel: <c>display(value)</c>.
/// </summary>
public sealed class KernelGlobals
{
    internal CellOutputs? Current { get; set; }

    /// <summary>Shows a value as a display_data output now, without ending the cell.</summary>
    /// <param name="value">What to show.</param>
    /// <param name="mimeTypes">Formats to show it in; by default HTML and plain text.</param>
    /// <returns>A handle whose <see cref="DisplayedValue.Update"/> replaces what was shown, for progress.</returns>
#pragma warning disable IDE1006 // the kernel's own name is lower case
    public DisplayedValue display(object? value, params string[] mimeTypes)
#pragma warning restore IDE1006
    {
        var outputs = Current ?? throw new InvalidOperationException("display() was called outside a running cell.");
        var index = outputs.AddDisplay(OutputFormatter.Data(value, mimeTypes));
        return new DisplayedValue(outputs, index, mimeTypes);
    }
}

/// <summary>A value shown with <c>display()</c>, which can be replaced in place.</summary>
public sealed class DisplayedValue
{
    private readonly CellOutputs _outputs;
    private readonly int _index;
    private readonly string[] _mimeTypes;

    internal DisplayedValue(CellOutputs outputs, int index, string[] mimeTypes)
    {
        _outputs = outputs;
        _index = index;
        _mimeTypes = mimeTypes;
    }

    /// <summary>Replaces the displayed value.</summary>
    public void Update(object? value) => _outputs.UpdateDisplay(_index, OutputFormatter.Data(value, _mimeTypes));
}
