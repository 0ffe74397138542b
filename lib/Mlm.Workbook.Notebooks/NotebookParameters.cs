using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace Mlm.Workbook.Notebooks;

/// <summary>A value for one variable of a notebook's <c>parameters</c> cell, as the C# that sets it.</summary>
/// <param name="Name">The variable.</param>
/// <param name="Type">Its declared type, as C# writes it.</param>
/// <param name="Literal">The value as a C# literal of that type.</param>
public sealed record ParameterValue(string Name, string Type, string Literal);

/// <summary>
/// <c>--set NAME=VALUE</c> as papermill does it, for a whole run: a name applies to every notebook whose cell tagged
/// <c>parameters</c> declares it, the value takes the type that cell declares, and a name no notebook declares is
/// an error before anything runs.
/// </summary>
public static class NotebookParameters
{
    /// <summary>The variables a notebook's parameters cell declares, with their types; empty when it has none.</summary>
    public static IReadOnlyDictionary<string, ITypeSymbol> Declared(Notebook notebook)
    {
        var cell = notebook.Cells.FirstOrDefault(c => c.Type == "code" && c.Tags.Contains("parameters"));
        if (cell is null) return new Dictionary<string, ITypeSymbol>();
        var code = CellSource.Parse(cell.Source, null, "csharp").Code;
        var compilation = CSharpScript.Create(code, ScriptOptions.Default.WithReferences(typeof(object).Assembly)).GetCompilation();
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var declared = new Dictionary<string, ITypeSymbol>(StringComparer.Ordinal);
        foreach (var variable in tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            var type = model.GetDeclaredSymbol(variable) switch
            {
                IFieldSymbol field => field.Type,
                ILocalSymbol local => local.Type,
                _ => null,
            };
            if (type is not null and not IErrorTypeSymbol) declared[variable.Identifier.Text] = type;
        }
        return declared;
    }

    /// <summary>The values to inject into each notebook, by notebook path.</summary>
    /// <param name="notebookPaths">The notebooks of the run.</param>
    /// <param name="values">The <c>--set</c> values, by name.</param>
    /// <exception cref="ArgumentException">A name no notebook declares (the message lists those they do), or a value its type cannot take.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<ParameterValue>> Plan(IReadOnlyList<string> notebookPaths, IReadOnlyDictionary<string, string>? values)
    {
        var plan = new Dictionary<string, IReadOnlyList<ParameterValue>>(StringComparer.Ordinal);
        if (values is null || values.Count == 0) return plan;
        var declaredAnywhere = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in notebookPaths)
        {
            Notebook notebook;
            try
            {
                notebook = Notebook.Load(path);
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                continue; // reported as a failed notebook when the run reaches it
            }
            var declared = Declared(notebook);
            declaredAnywhere.UnionWith(declared.Keys);
            var applied = values.Where(v => declared.ContainsKey(v.Key))
                .Select(v => new ParameterValue(v.Key, declared[v.Key].ToDisplayString(), Literal(notebook.Name, v.Key, v.Value, declared[v.Key])))
                .ToList();
            if (applied.Count > 0) plan[path] = applied;
        }
        var unknown = values.Keys.Where(name => !declaredAnywhere.Contains(name)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"--set {string.Join(", ", unknown)}: no notebook in this run declares {(unknown.Count == 1 ? "it" : "them")} in its parameters cell. " +
                (declaredAnywhere.Count == 0 ? "None of these notebooks has a parameters cell." : $"Parameters declared: {string.Join(", ", declaredAnywhere)}."));
        return plan;
    }

    /// <summary>After the cell tagged <c>parameters</c>, inserts a cell tagged <c>injected-parameters</c> that sets the values.</summary>
    public static void Inject(Notebook notebook, IReadOnlyList<ParameterValue> values)
    {
        var parametersCell = notebook.Cells.First(c => c.Type == "code" && c.Tags.Contains("parameters"));
        var lines = new List<string> { "// Injected parameters" };
        lines.AddRange(values.Select(v => $"{v.Type} {v.Name} = {v.Literal};"));
        notebook.InsertCodeCellAfter(parametersCell, string.Join("\n", lines), "injected-parameters");
    }

    /// <summary>A <c>--set</c> value as a C# literal of the declared type.</summary>
    /// <exception cref="ArgumentException">The value cannot be that type; the message names the parameter and its type.</exception>
    public static string Literal(string notebook, string name, string value, ITypeSymbol type)
    {
        var invariant = CultureInfo.InvariantCulture;
        string? literal = type.SpecialType switch
        {
            SpecialType.System_String => SymbolDisplay.FormatLiteral(Unquoted(value), quote: true),
            SpecialType.System_Boolean => bool.TryParse(value, out var flag) ? (flag ? "true" : "false") : null,
            SpecialType.System_Int32 => int.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out var i) ? i.ToString(invariant) : null,
            SpecialType.System_Int64 => long.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out var l) ? l.ToString(invariant) + "L" : null,
            SpecialType.System_Double => double.TryParse(value, NumberStyles.Float, invariant, out var d) && double.IsFinite(d) ? d.ToString("R", invariant) + "d" : null,
            SpecialType.System_Single => float.TryParse(value, NumberStyles.Float, invariant, out var f) && float.IsFinite(f) ? f.ToString("R", invariant) + "f" : null,
            SpecialType.System_Decimal => decimal.TryParse(value, NumberStyles.Number, invariant, out var m) ? m.ToString(invariant) + "m" : null,
            _ => throw new ArgumentException(
                $"--set {name}: {notebook} declares {name} as {type.ToDisplayString()}, which --set cannot set; declare it as a string, number or bool."),
        };
        return literal ?? throw new ArgumentException($"--set {name}={value}: {notebook} declares {name} as {type.ToDisplayString()}, and \"{value}\" is not one.");
    }

    // A value given as "004" on a shell that keeps the quotes means the string 004.
    private static string Unquoted(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value.Substring(1, value.Length - 2) : value;
}
