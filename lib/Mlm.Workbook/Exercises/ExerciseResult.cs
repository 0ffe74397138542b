using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mlm.Workbook;

/// <summary>Where an exercise stands after its check.</summary>
public enum ExerciseStatus
{
    /// <summary>The answer is still the placeholder (or the cell that should set it did not run to the end).</summary>
    NotAttempted,
    /// <summary>The answer is wrong, or right by the wrong road; the message says which.</summary>
    Failed,
    /// <summary>The answer holds exactly the expected items, read the way the exercise asks.</summary>
    Passed,
}

/// <summary>What a check found: the verdict, a message that teaches, and what the answer's reads cost.</summary>
/// <param name="Id">The exercise, such as <c>04-1</c>.</param>
/// <param name="Title">The exercise in a few words.</param>
/// <param name="Status">Passed, failed or not attempted.</param>
/// <param name="Message">Why: what was found, and on a failure a hint.</param>
/// <param name="CapacityUnits">
/// Read capacity the answer's reads consumed as the endpoint reported it, summed; null when a read did not ask for it
/// (<c>ReturnConsumedCapacity</c>) or the endpoint reports none (DynamoDB Local for PartiQL).
/// </param>
/// <param name="Requests">Requests the answer's reads took (pages), summed.</param>
/// <param name="AwsReadUnits">What the answer's reads cost by AWS's rules (per request, 4 KB rounded up, a minimum each).</param>
public sealed record ExerciseResult(string Id, string Title, ExerciseStatus Status, string Message, double? CapacityUnits = null, int Requests = 0, double AwsReadUnits = 0)
{
    /// <summary>The mime type of the machine-readable form, which grading reads from an executed notebook.</summary>
    public const string MimeType = "application/vnd.mlm-workbook.exercise-check+json";

    /// <summary>The message shown when the answer is still the placeholder.</summary>
    public const string NotAttemptedMessage = "not attempted yet";

    /// <summary>Whether the exercise passed.</summary>
    public bool Passed => Status == ExerciseStatus.Passed;

    private string Mark => Status switch
    {
        ExerciseStatus.Passed => "✔",
        ExerciseStatus.Failed => "✘",
        _ => "○",
    };

    private string Cost => Requests == 0 ? "" :
        $"Capacity: {Units(AwsReadUnits)} by AWS's rules, in {Requests} request{(Requests == 1 ? "" : "s")}" +
        (CapacityUnits is { } reported && Math.Abs(reported - AwsReadUnits) < 0.001 ? "."
            : CapacityUnits is { } local ? $" (the endpoint reported {Units(local)})."
            : ".");

    private static string Units(double units) => $"{units.ToString("0.###", CultureInfo.InvariantCulture)} read unit{(units == 1 ? "" : "s")}";

    /// <summary>One or two lines: <c>✔ 04-1 Level 2 of a downline: …</c> and the capacity.</summary>
    public override string ToString() => $"{Mark} {Id} {Title}: {Message}" + (Cost.Length == 0 ? "" : "\n" + Cost);

    /// <summary>A small coloured box for notebooks.</summary>
    public string ToHtml()
    {
        var colour = Status switch
        {
            ExerciseStatus.Passed => "#2e7d32",
            ExerciseStatus.Failed => "#c62828",
            _ => "#6d6d6d",
        };
        var cost = Cost.Length == 0 ? "" : $"<div style=\"font-size:smaller;opacity:.8\">{WebUtility.HtmlEncode(Cost)}</div>";
        return $"<div class=\"exercise-check\" data-exercise=\"{WebUtility.HtmlEncode(Id)}\" data-status=\"{Status}\" " +
               $"style=\"border-left:4px solid {colour};padding:4px 10px\"><strong style=\"color:{colour}\">{Mark} {WebUtility.HtmlEncode(Id)}</strong> " +
               $"{WebUtility.HtmlEncode(Title)}: {WebUtility.HtmlEncode(Message)}{cost}</div>";
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The machine-readable form: <c>{"id", "title", "status", "passed", "message", "capacity", "requests"}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = Id,
        ["title"] = Title,
        ["status"] = Status switch { ExerciseStatus.Passed => "passed", ExerciseStatus.Failed => "failed", _ => "not-attempted" },
        ["passed"] = Passed,
        ["message"] = Message,
        ["capacity"] = CapacityUnits,
        ["requests"] = Requests,
    }, JsonOptions);
}
