using System.Runtime.InteropServices;

namespace Mlm.Workbook.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM during a command that may have started DynamoDB Local: the work is cancelled, the
/// cleanup runs (stopping what the command started), one line says what was done, and the process exits with 130.
/// Written by hand because the cleanup must run even while the work does not observe cancellation (a notebook cell).
/// </summary>
internal static class Interruption
{
    /// <summary>The exit code of a command ended by a signal, as shells report SIGINT.</summary>
    public const int ExitCode = 130;

    /// <param name="work">The command's work, given a token cancelled on a signal.</param>
    /// <param name="cleanup">Runs on a signal; returns the one line to print.</param>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> work, Func<Task<string>> cleanup)
    {
        // The terminal itself, not Console.Error: while a notebook cell runs, the console is redirected into the cell's outputs.
        using var terminal = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        using var cancel = new CancellationTokenSource();
        var signalled = new TaskCompletionSource<PosixSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true; // the cleanup below ends the process
            signalled.TrySetResult(context.Signal);
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);

        var working = work(cancel.Token);
        if (await Task.WhenAny(working, signalled.Task).ConfigureAwait(false) == working) return await working.ConfigureAwait(false);

        cancel.Cancel();
        var name = signalled.Task.Result == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";
        string line;
        try
        {
            line = await cleanup().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            line = $"cleaning up failed: {e.Message}";
        }
        if (ConsoleProgress.LineOpen) terminal.WriteLine();
        terminal.WriteLine($"Interrupted ({name}): {line}");
        Environment.Exit(ExitCode); // the work may still be running (a cell that ignores cancellation)
        return ExitCode;
    }
}
