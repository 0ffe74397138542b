using System.Globalization;
using System.Text.RegularExpressions;

namespace Mlm.Workbook;

/// <summary>
/// Checks values typed by people before they reach DynamoDB, so that a bad one is a clear
/// <see cref="ArgumentException"/> naming the value, never an error from deep in the SDK.
/// </summary>
public static partial class Inputs
{
    /// <summary>The longest email accepted (the limit of the SMTP standard).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>The longest phone number accepted, extension included.</summary>
    public const int MaxPhoneLength = 32;

    /// <summary>The longest name, address or item accepted.</summary>
    public const int MaxTextLength = 400;

    /// <summary>An email: one <c>@</c>, something on each side, a dot in the domain, no spaces; trimmed.</summary>
    public static string Email(string email, string parameterName = "email")
    {
        var value = Required(email, parameterName, "an email such as ana@example.com");
        if (value.Length > MaxEmailLength || !EmailPattern().IsMatch(value))
            throw new ArgumentException($"\"{Keys.Shorten(value)}\" is not an email address such as ana@example.com.", parameterName);
        return value;
    }

    /// <summary>A phone number: digits with optional <c>+ - . ( )</c>, spaces and an <c>x</c> extension; trimmed.</summary>
    public static string Phone(string phone, string parameterName = "phone")
    {
        var value = Required(phone, parameterName, "a phone number such as 555-0100");
        if (value.Length > MaxPhoneLength || !PhonePattern().IsMatch(value) || !value.Any(char.IsAsciiDigit))
            throw new ArgumentException($"\"{Keys.Shorten(value)}\" is not a phone number such as +1 555-0100 x12.", parameterName);
        return value;
    }

    /// <summary>A free-text value (name, address, item): not empty, at most <see cref="MaxTextLength"/> characters; trimmed.</summary>
    public static string Text(string text, string parameterName)
    {
        var value = Required(text, parameterName, "some text");
        if (value.Length > MaxTextLength)
            throw new ArgumentException($"{parameterName} is {value.Length} characters long; at most {MaxTextLength} are allowed.", parameterName);
        return value;
    }

    /// <summary>A calendar date written <c>YYYY-MM-DD</c>; impossible dates such as 2025-02-30 are refused.</summary>
    public static DateOnly Date(string date, string parameterName = "date")
    {
        var value = Required(date, parameterName, "a date such as 2025-02-19");
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed
            : throw new ArgumentException($"\"{Keys.Shorten(value)}\" is not a real date written YYYY-MM-DD, such as 2025-02-19.", parameterName);
    }

    private static string Required(string value, string parameterName, string example)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{parameterName} is required: {example}.", parameterName);
        return value.Trim();
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?[0-9 .()\-]+(\s*(x|ext\.?)\s*[0-9]+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex PhonePattern();
}
