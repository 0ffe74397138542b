using System.Runtime.InteropServices;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// The kernel process's life: serve until shutdown, the parent going away or SIGTERM; SIGINT interrupts the running
/// cell instead of ending the process; at the end, every process the kernel started goes with it.
/// </summary>
public static class KernelHost
{
    /// <summary>Runs a kernel for the connection file at <paramref name="connectionFilePath"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string connectionFilePath, Func<IKernelEngine> createEngine, TextWriter? log = null)
    {
        log ??= Console.Error;
        var connection = ConnectionFile.Load(connectionFilePath);
        using var ended = new CancellationTokenSource();
        var engine = createEngine();
        var kernel = new JupyterKernel(connection, engine, log);

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            log.WriteLine("[kernel] SIGINT: interrupting the running cell.");
            kernel.Interrupt();
        });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            ended.Cancel();
        });
        var parentGone = ParentWatch.WhenGoneAsync(log, ended.Token);
        _ = parentGone.ContinueWith(task => { if (task.IsCompletedSuccessfully) ended.Cancel(); }, TaskScheduler.Default);

        try
        {
            var restart = await kernel.RunAsync(ended.Token);
            if (restart) log.WriteLine("[kernel] restart requested; the front end starts a new kernel.");
        }
        finally
        {
            var killed = ChildProcesses.KillOwn(log);
            if (killed > 0) log.WriteLine($"[kernel] ended {killed} child process(es).");
            // A cell that ignores cancellation must not keep the process alive.
            await Task.WhenAny(Task.Run(engine.Dispose), Task.Delay(TimeSpan.FromSeconds(2)));
        }
        return 0;
    }
}
