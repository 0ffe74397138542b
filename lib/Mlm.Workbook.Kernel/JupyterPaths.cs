namespace Mlm.Workbook.Kernel;

/// <summary>Where Jupyter looks for a user's kernelspecs, as jupyter_core decides it.</summary>
public static class JupyterPaths
{
    /// <summary>
    /// The user's Jupyter data folder: <c>JUPYTER_DATA_DIR</c> if set; otherwise <c>%APPDATA%\jupyter</c> on Windows,
    /// <c>~/Library/Jupyter</c> on macOS, <c>$XDG_DATA_HOME/jupyter</c> or <c>~/.local/share/jupyter</c> elsewhere.
    /// </summary>
    public static string UserDataDirectory()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } explicitDirectory) return explicitDirectory;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetEnvironmentVariable("APPDATA") is { Length: > 0 } appData ? appData : Path.Combine(home, "AppData", "Roaming"), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(home, ".local", "share"), "jupyter");
    }
}
