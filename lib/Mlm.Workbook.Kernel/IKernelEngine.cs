using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// What the kernel asks of the C# session behind it. The kernel adds transport only; running, completing and
/// formatting belong to the session the runner shares.
/// </summary>
public interface IKernelEngine : IDisposable
{
    /// <summary>
    /// Runs one cell, sending its outputs to <paramref name="sink"/> as they happen, its console reads to
    /// <paramref name="input"/> (null: the front end allows no input); cancelling interrupts it.
    /// </summary>
    Task<CellRun> ExecuteAsync(string source, ICellOutputSink sink, ICellInput? input, CancellationToken cancellationToken);

    /// <summary>Completions at <paramref name="cursor"/> (a UTF-16 index).</summary>
    Task<CompletionResult> CompleteAsync(string source, int cursor, CancellationToken cancellationToken);

    /// <summary>What is under <paramref name="cursor"/> (a UTF-16 index), or null.</summary>
    Task<InspectionResult?> InspectAsync(string source, int cursor, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="source"/> is complete, incomplete or invalid.</summary>
    IsCompleteResult IsComplete(string source);
}
