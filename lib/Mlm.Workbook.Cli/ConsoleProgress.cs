namespace Mlm.Workbook.Cli;

/// <summary>Progress on one console line, redrawn in place when the output is a terminal.</summary>
internal sealed class ConsoleProgress(int total) : IProgress<int>
{
    private int _lastPercent = -1;

    /// <summary>Whether a line was started and not yet ended (so an interruption begins a new one).</summary>
    public static bool LineOpen { get; private set; }

    public void Report(int done)
    {
        var percent = total == 0 ? 100 : (int)(100L * done / total);
        if (percent == _lastPercent) return;
        _lastPercent = percent;
        const int width = 30;
        var filled = width * percent / 100;
        var line = $"[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} items";
        if (Console.IsOutputRedirected)
        {
            // In a log, one line per tenth rather than a line per request.
            if (percent % 10 == 0) Console.WriteLine(line);
        }
        else
        {
            Console.Write("\r" + line);
            LineOpen = done != total;
            if (done == total) Console.WriteLine();
        }
    }
}
