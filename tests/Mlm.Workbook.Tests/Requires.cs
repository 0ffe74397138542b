using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mlm.Workbook.Tests;

/// <summary>
/// Checks that a test's outside tools are installed; when one is missing the test fails with one line naming what to
/// install (<c>bash tests/run</c> installs them on Debian and Ubuntu), not with the tool's own traceback.
/// </summary>
public static class Requires
{
    private static readonly ConcurrentDictionary<string, bool> Found = new();

    /// <summary>The Debian package of each Python module the tests import.</summary>
    private static readonly IReadOnlyDictionary<string, string> DebianPackage = new Dictionary<string, string>
    {
        ["nbclient"] = "python3-nbclient",
        ["nbformat"] = "python3-nbformat",
        ["jupyter_client"] = "python3-jupyter-client",
        ["zmq"] = "python3-zmq",
        ["ipykernel"] = "python3-ipykernel",
        ["jupyter_kernel_test"] = "python3-jupyter-kernel-test",
        ["notebook"] = "jupyter-notebook",
        ["boto3"] = "python3-boto3",
    };

    /// <summary>Fails the test unless <paramref name="python"/>, which <paramref name="variable"/> can name, imports every module.</summary>
    public static void PythonModules(string python, string variable, params string[] modules)
    {
        var missing = modules.Where(m => !Found.GetOrAdd($"{python}\0{m}", _ => Imports(python, m))).ToList();
        if (missing.Count > 0) Assert.Fail(MissingModulesMessage(python, variable, missing));
    }

    /// <summary>Fails the test unless Debian's Jupyter interpreter (<see cref="Jupyter.Python"/>) imports every module.</summary>
    public static void Python(params string[] modules) => PythonModules(Jupyter.Python, "MLM_JUPYTER_PYTHON", modules);

    /// <summary>The one line a test fails with when Python modules are missing.</summary>
    public static string MissingModulesMessage(string python, string variable, IReadOnlyList<string> modules) =>
        $"Needs the Python module{(modules.Count == 1 ? "" : "s")} {string.Join(", ", modules)} in {python}: install "
        + string.Join(" ", modules.Select(m => DebianPackage.GetValueOrDefault(m, m)).Distinct())
        + $" (apt-get install; `bash tests/run` does), or set {variable} to a Python that has them.";

    /// <summary>Fails the test unless Chromium is at <see cref="Browser.ExecutablePath"/>.</summary>
    public static void Chromium()
    {
        if (!File.Exists(Browser.ExecutablePath))
            Assert.Fail($"Needs Chromium at {Browser.ExecutablePath}: install chromium (apt-get install chromium; `bash tests/run` does), or set MLM_CHROMIUM to a Chromium or Chrome executable.");
    }

    private static bool Imports(string python, string module)
    {
        try
        {
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"import {module}");
            using var process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000)) { process.Kill(entireProcessTree: true); return false; }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no such interpreter
        }
    }
}
