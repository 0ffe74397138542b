using System.Text;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// Gathers stdout/stderr text a cell writes a character or a line at a time and hands it on within a short window,
/// so a long cell shows its output while it runs without sending a message per character.
/// Text keeps its order across the two streams.
/// </summary>
internal sealed class StreamCoalescer : IDisposable
{
    private readonly Action<string, string> _publish;
    private readonly TimeSpan _window;
    private readonly Lock _lock = new();
    private readonly StringBuilder _pending = new();
    private readonly Timer _timer;
    private string? _pendingName;
    private bool _scheduled;

    /// <summary>Hands text to <paramref name="publish"/> (stream name, text) at most <paramref name="window"/> after it was written.</summary>
    public StreamCoalescer(Action<string, string> publish, TimeSpan window)
    {
        _publish = publish;
        _window = window;
        _timer = new Timer(_ => Flush());
    }

    /// <summary>Adds text to a stream.</summary>
    public void Append(string name, string text)
    {
        if (text.Length == 0) return;
        lock (_lock)
        {
            if (_pendingName is not null && _pendingName != name) FlushLocked();
            _pendingName = name;
            _pending.Append(text);
            if (!_scheduled)
            {
                _scheduled = true;
                _timer.Change(_window, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Hands on whatever is pending now (before any other output, and at the end of a cell).</summary>
    public void Flush()
    {
        lock (_lock) FlushLocked();
    }

    private void FlushLocked()
    {
        _scheduled = false;
        if (_pendingName is null || _pending.Length == 0) return;
        var text = _pending.ToString();
        _pending.Clear();
        _publish(_pendingName, text);
    }

    public void Dispose() => _timer.Dispose();
}
