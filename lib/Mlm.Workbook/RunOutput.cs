namespace Mlm.Workbook;

/// <summary>
/// Where a notebook writes the files it makes (a CSV export): the run's output folder when the headless runner runs it
/// (<c>run --out DIR</c>, which sets <see cref="Variable"/>), else the notebook's own folder, as in VS Code.
/// </summary>
public static class RunOutput
{
    /// <summary>The environment variable that names the run's output folder.</summary>
    public const string Variable = "MLM_OUTPUT_DIR";

    /// <summary>The folder: <see cref="Variable"/> if set, else the working directory (a kernel's is the notebook's folder).</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } folder ? Path.GetFullPath(folder) : Directory.GetCurrentDirectory();

    /// <summary>A path for a file in <see cref="Folder"/>, which is created if missing.</summary>
    /// <param name="fileName">The file's name, without a folder.</param>
    /// <exception cref="ArgumentException">The name holds a folder or is empty.</exception>
    public static string PathFor(string fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName) || Path.GetFileName(fileName) != fileName)
            throw new ArgumentException($"A file name without a folder is needed; got \"{fileName}\".", nameof(fileName));
        Directory.CreateDirectory(Folder);
        return Path.Combine(Folder, fileName);
    }
}
