namespace Mlm.Workbook.Presentation;

/// <summary>
/// Progress reported on the calling thread, at once. Unlike <see cref="Progress{T}"/>, which posts to a
/// synchronisation context, every report has happened by the time the work returns, so a notebook's
/// progress display shows the final count when its cell ends.
/// </summary>
/// <typeparam name="T">What is reported.</typeparam>
public sealed class ProgressCallback<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
