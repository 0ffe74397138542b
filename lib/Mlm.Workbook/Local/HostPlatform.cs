using System.Runtime.InteropServices;
using System.Text;

namespace Mlm.Workbook;

/// <summary>The operating systems the workbook tells apart.</summary>
public enum HostOs
{
    /// <summary>Linux and other Unix systems that are not macOS.</summary>
    Linux,
    /// <summary>macOS.</summary>
    MacOS,
    /// <summary>Windows.</summary>
    Windows,
}

/// <summary>
/// The machine a decision is made for: by default the one this process runs on. The platform-specific choices (which
/// Java to try, how to start a process that outlives us, what the native libraries support) take it as a parameter,
/// so that the Windows and macOS paths are tested on Linux too.
/// </summary>
/// <param name="Os">The operating system.</param>
/// <param name="Architecture">The machine's processor architecture (not this process's, which may be emulated).</param>
public sealed record HostPlatform(HostOs Os, Architecture Architecture)
{
    /// <summary>The machine this process runs on.</summary>
    public static HostPlatform Current { get; } = new(
        OperatingSystem.IsWindows() ? HostOs.Windows : OperatingSystem.IsMacOS() ? HostOs.MacOS : HostOs.Linux,
        RuntimeInformation.OSArchitecture);

    /// <summary>True on Windows.</summary>
    public bool IsWindows => Os == HostOs.Windows;

    /// <summary>True on macOS.</summary>
    public bool IsMacOS => Os == HostOs.MacOS;

    /// <summary>
    /// The encoding a console program must set for its output to show ✔ ✘ ○ and other non-ASCII text, or null when the
    /// system's default already does. Windows consoles default to an OEM code page (437, 850, …) that has none of them
    /// and prints <c>?</c>; everywhere else the console is UTF-8.
    /// </summary>
    public Encoding? ConsoleOutputEncoding => IsWindows ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) : null;

    /// <summary>The name of an executable file: <c>java.exe</c> on Windows, <c>java</c> elsewhere.</summary>
    public string Executable(string name) => IsWindows ? name + ".exe" : name;
}
