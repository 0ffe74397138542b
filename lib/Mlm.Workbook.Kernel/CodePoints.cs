namespace Mlm.Workbook.Kernel;

/// <summary>Jupyter counts cursor positions in Unicode code points; .NET strings index UTF-16 units. This converts at the boundary.</summary>
public static class CodePoints
{
    /// <summary>The UTF-16 index of the code point at <paramref name="codePoints"/>, clamped to the text.</summary>
    public static int ToUtf16(string text, int codePoints)
    {
        var index = 0;
        for (var seen = 0; seen < codePoints && index < text.Length; seen++)
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        return index;
    }

    /// <summary>How many code points come before UTF-16 index <paramref name="utf16Index"/>, clamped to the text.</summary>
    public static int FromUtf16(string text, int utf16Index)
    {
        var end = Math.Clamp(utf16Index, 0, text.Length);
        var count = 0;
        for (var i = 0; i < end; i++, count++)
            if (char.IsHighSurrogate(text[i]) && i + 1 < end && char.IsLowSurrogate(text[i + 1])) i++;
        return count;
    }
}
