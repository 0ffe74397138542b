using System.Text;
using Microsoft.DotNet.Interactive.Formatting;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// Sends what a running cell writes to the console or displays to that cell's sink. Both are process-wide (the
/// console, the formatter's display event), and one cell runs at a time, so there is one active sink.
/// </summary>
internal static class OutputRouting
{
    private static readonly object Gate = new();
    private static bool _subscribed;

    /// <summary>The sink of the cell running now, if any.</summary>
    public static volatile ICellOutputSink? Active;

    /// <summary>Who answers the running cell's console input; null when nobody can.</summary>
    public static volatile ICellInput? Input;

    /// <summary>Routes the formatter's displayed values (<c>display()</c>, <c>Update</c>) to the active sink.</summary>
    public static void EnsureSubscribed()
    {
        lock (Gate)
        {
            if (_subscribed) return;
            Formatter.SubscribeToDisplayedValues(OnDisplayed);
            _subscribed = true;
        }
    }

    private static void OnDisplayed(DisplayedValue shown)
    {
        if (Active is not { } sink) return;
        var data = OutputFormatter.Bundle(shown.Value, shown.FormattedValues);
        if (shown.IsUpdated) sink.UpdateDisplay(shown.DisplayId, data);
        else sink.Display(shown.DisplayId, data);
    }
}

/// <summary>Console output of a cell, passed to its sink as it is written, so it interleaves with displays.</summary>
internal sealed class CellConsoleWriter(string streamName) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => OutputRouting.Active?.Stream(streamName, value.ToString());

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value)) OutputRouting.Active?.Stream(streamName, value);
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
}

/// <summary>
/// Console input of a cell: lines from whoever can answer (a front end that allows input), and a clear error where
/// nobody can, rather than a read that waits for ever on the process's own stdin.
/// </summary>
internal sealed class CellConsoleReader : TextReader
{
    public const string NobodyToAnswer =
        "The cell reads console input (Console.ReadLine), but nobody can answer it here: the notebook runs unattended " +
        "(mlm run, grade, nbclient) or the front end does not allow input. Put the value in the notebook's parameters cell instead.";

    private string _line = "";
    private int _position;

    public override string? ReadLine()
    {
        if (_position >= _line.Length) return Ask();
        var rest = _line[_position..].TrimEnd('\n');
        (_line, _position) = ("", 0);
        return rest;
    }

    public override int Peek()
    {
        Fill();
        return _line[_position];
    }

    public override int Read()
    {
        Fill();
        return _line[_position++];
    }

    private void Fill()
    {
        if (_position < _line.Length) return;
        (_line, _position) = (Ask() + "\n", 0);
    }

    private static string Ask() => OutputRouting.Input is { } input ? input.ReadLine() : throw new InvalidOperationException(NobodyToAnswer);
}
