using System.Reflection;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Kernel;

/// <summary>The kernel_info_reply content: who this kernel is and the language it runs.</summary>
internal static class KernelInfo
{
    /// <summary>The implementation name front ends show.</summary>
    public const string Implementation = "mlm-csharp";

    /// <summary>The C# language version of the .NET 10 compiler the session uses.</summary>
    public const string LanguageVersion = "14.0";

    public static JsonObject Content()
    {
        var version = typeof(KernelInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = JupyterMessage.ProtocolVersion,
            ["implementation"] = Implementation,
            ["implementation_version"] = version.Split('+')[0],
            ["language_info"] = new JsonObject
            {
                ["name"] = "C#",
                ["version"] = LanguageVersion,
                ["mimetype"] = "text/x-csharp",
                ["file_extension"] = ".cs",
                ["pygments_lexer"] = "csharp",
                ["codemirror_mode"] = "text/x-csharp",
            },
            ["banner"] = $"C# {LanguageVersion} on .NET {Environment.Version} — the MLM workbook's kernel (Roslyn scripting, Polyglot C# cell language)",
            ["help_links"] = new JsonArray(
                new JsonObject { ["text"] = "C# language reference", ["url"] = "https://learn.microsoft.com/dotnet/csharp/language-reference/" },
                new JsonObject { ["text"] = "DynamoDB developer guide", ["url"] = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/" }),
        };
    }
}
