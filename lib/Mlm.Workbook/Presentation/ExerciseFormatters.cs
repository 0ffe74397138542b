using Microsoft.DotNet.Interactive.Formatting;

namespace Mlm.Workbook.Presentation;

/// <summary>
/// How a check's result shows: a coloured line for people (HTML and text), and JSON for grading, which reads it from
/// the executed notebook.
/// </summary>
internal static class ExerciseFormatters
{
    public static void Register()
    {
        Formatter.Register<ExerciseResult>(result => result.ToHtml(), HtmlFormatter.MimeType);
        Formatter.Register<ExerciseResult>(result => result.ToString(), PlainTextFormatter.MimeType);
        Formatter.Register<ExerciseResult>(result => result.ToJson(), ExerciseResult.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(ExerciseResult), HtmlFormatter.MimeType, PlainTextFormatter.MimeType, ExerciseResult.MimeType);
    }
}
