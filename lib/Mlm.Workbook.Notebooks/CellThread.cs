using System.Runtime.InteropServices;

namespace Mlm.Workbook.Notebooks;

/// <summary>
/// The thread a cell starts on, its own rather than the thread pool's: code that never awaits keeps only this thread,
/// which can then be given the lowest CPU priority, so that a runaway loop takes only idle CPU from the kernel, the
/// grader and the cells after it, and ends with its thread when the loop does.
/// </summary>
internal sealed class CellThread
{
    private const int LowestPriority = 19; // the highest nice value
    private int _osThreadId;

    /// <summary>Runs <paramref name="start"/> on a new thread and hands back the task it returns.</summary>
    public static (CellThread Thread, Task<T> Result) Start<T>(Func<Task<T>> start)
    {
        var cell = new CellThread();
        var started = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Thread.Start flows the caller's execution context, so the cell keeps the session's culture and async locals.
        var thread = new Thread(() =>
        {
            if (OperatingSystem.IsLinux()) Volatile.Write(ref cell._osThreadId, gettid());
            try
            {
                started.SetResult(start());
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }) { IsBackground = true, Name = "notebook cell" };
        thread.Start();
        return (cell, started.Task.Unwrap());
    }

    /// <summary>Gives the thread the lowest CPU priority, where the system allows (Linux); false elsewhere.</summary>
    public bool Lower()
    {
        var id = Volatile.Read(ref _osThreadId);
        return id > 0 && setpriority(PriorityOfProcess, id, LowestPriority) == 0;
    }

    // On Linux a thread id names one thread for setpriority's PRIO_PROCESS.
    private const int PriorityOfProcess = 0;

    [DllImport("libc")]
    private static extern int gettid();

    [DllImport("libc")]
    private static extern int setpriority(int which, int who, int priority);
}
