using System.Globalization;

namespace Mlm.Workbook.Cli;

/// <summary>A verb's <c>--name value</c> options; unknown or incomplete ones are errors.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public Options(IReadOnlyList<string> arguments, IReadOnlyCollection<string> known, IReadOnlyCollection<string>? flags = null)
    {
        flags ??= [];
        for (var i = 0; i < arguments.Count; i++)
        {
            var name = arguments[i];
            if (flags.Contains(name))
            {
                _flags.Add(name);
                continue;
            }
            if (!known.Contains(name))
                throw new ArgumentException($"Unknown option \"{name}\". Known: {string.Join(", ", known.Concat(flags))}.");
            if (i + 1 >= arguments.Count)
                throw new ArgumentException($"Option {name} needs a value.");
            _values[name] = arguments[++i];
        }
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public T Choice<T>(string name, T fallback) where T : struct, Enum
    {
        if (!_values.TryGetValue(name, out var text)) return fallback;
        return Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"Option {name} takes one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}; got \"{text}\".");
    }

    public int Int(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out var text)) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"Option {name} takes a whole number of zero or more; got \"{text}\".");
    }

    public DateOnly Date(string name, DateOnly fallback)
    {
        if (!_values.TryGetValue(name, out var text)) return fallback;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw new ArgumentException($"Option {name} takes a real date written YYYY-MM-DD; got \"{text}\".");
    }
}

/// <summary>Progress on one console line, redrawn in place when the output is a terminal.</summary>
internal sealed class ConsoleProgress(int total) : IProgress<int>
{
    private int _lastPercent = -1;

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
            if (done == total) Console.WriteLine();
        }
    }
}
