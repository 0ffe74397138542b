using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Mlm.Workbook.Cli;

/// <summary>
/// Option builders every verb uses, so that all verbs parse alike: each option has a description, a value option given
/// twice is an error (System.CommandLine's own rule), and so is a flag given twice.
/// </summary>
internal static class CliOptions
{
    /// <summary>A flag (no value); giving it twice is an error.</summary>
    public static Option<bool> Flag(string name, string description)
    {
        var option = new Option<bool>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.IdentifierTokenCount > 1) result.AddError($"{name} is given {result.IdentifierTokenCount} times; give it once.");
        });
        return option;
    }

    /// <summary>A whole number from <paramref name="minimum"/> to <paramref name="maximum"/>, both named in the error.</summary>
    public static Option<int> Number(string name, string description, int fallback, int minimum, int maximum)
    {
        var option = new Option<int>(name)
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"{description} ({minimum:N0} to {maximum:N0})"),
            DefaultValueFactory = _ => fallback,
            HelpName = "N",
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < minimum || value > maximum)
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be from {minimum:N0} to {maximum:N0}; got {value.ToString(CultureInfo.InvariantCulture)}."));
        });
        return option;
    }

    /// <summary>A whole number from <paramref name="minimum"/> to <paramref name="maximum"/>, or null when not given (no default).</summary>
    public static Option<int?> OptionalNumber(string name, string description, string helpName, int minimum, int maximum)
    {
        var option = new Option<int?>(name) { Description = string.Create(CultureInfo.InvariantCulture, $"{description} ({minimum:N0} to {maximum:N0})"), HelpName = helpName };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && (value < minimum || value > maximum))
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be from {minimum:N0} to {maximum:N0}; got {value.ToString(CultureInfo.InvariantCulture)}."));
        });
        return option;
    }

    /// <summary>A date written YYYY-MM-DD; null when not given (the default is named in the description, in the same format).</summary>
    public static Option<DateOnly?> Date(string name, string description, DateOnly fallback) => new(name)
    {
        Description = $"{description} [default: {fallback.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}]",
        HelpName = "YYYY-MM-DD",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            result.AddError($"{name} takes a real date written YYYY-MM-DD; got \"{text}\".");
            return default;
        },
    };

    /// <summary>One of an enum's names, lower-case in help and accepted in any case; null when not given.</summary>
    public static Option<T?> Choice<T>(string name, string description, T fallback) where T : struct, Enum
    {
        var names = Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToArray();
        return new Option<T?>(name)
        {
            Description = $"{description} [default: {fallback.ToString().ToLowerInvariant()}]",
            HelpName = string.Join("|", names),
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)) return value;
                result.AddError($"{name} takes one of {string.Join(", ", names)}; got \"{text}\".");
                return default;
            },
        };
    }

    /// <summary>--keep-dynamodb, shared by the verbs that may start DynamoDB Local.</summary>
    public static Option<bool> KeepDynamoDb() =>
        Flag("--keep-dynamodb", "Leave the DynamoDB Local this command starts running at the end (it listens on every network interface).");
}
