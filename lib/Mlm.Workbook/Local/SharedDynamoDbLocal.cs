using System.Globalization;
using System.Diagnostics;

namespace Mlm.Workbook;

/// <summary>
/// The notebooks' shared DynamoDB Local: on disk in <c>.dynamodb/PORT/</c>, started detached (<see cref="DetachedLaunch"/>) so that it
/// outlives the process that started it, and recorded in a <see cref="PidFile"/> so that it can be stopped later — only
/// when the recorded process is verifiably that instance.
/// </summary>
internal static class SharedDynamoDbLocal
{
    private static readonly SemaphoreSlim StartLock = new(1, 1);

    public static async Task<DynamoDbLocalInstance> EnsureRunningAsync(int port, string? dataDirectory, CancellationToken cancellationToken)
    {
        await StartLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await PortProbe.ProbeAsync(port, cancellationToken).ConfigureAwait(false);
            dataDirectory ??= RepositoryRoot.DynamoDbDataDirectory(port);
            switch (state)
            {
                case PortState.DynamoDb:
                    var pid = VerifiedPid(dataDirectory, port);
                    return new DynamoDbLocalInstance(DynamoDbLocal.EndpointFor(port), port, pid, pid is null ? null : dataDirectory);
                case PortState.Other:
                    throw new DynamoDbLocalException(
                        $"Port {port} is held by something that is not DynamoDB. Stop that program, choose another port with MLM_DYNAMODB_PORT, " +
                        "or point AWS_ENDPOINT_URL_DYNAMODB at a DynamoDB you run yourself.");
                case PortState.Unresponsive:
                    throw new DynamoDbLocalException(Unresponsive(port, VerifiedPid(dataDirectory, port)));
            }

            Directory.CreateDirectory(dataDirectory);
            var logPath = Path.Combine(dataDirectory, "dynamodb-local.log");
            var (process, logFiles) = await DynamoDbLocalProcess.LaunchDetachedAsync(port, dataDirectory, logPath, cancellationToken).ConfigureAwait(false);
            using var _ = process;
            try
            {
                await DynamoDbLocalProcess.WaitUntilAnsweringAsync(process, port, () => DetachedLaunch.ReadAll(logFiles), cancellationToken).ConfigureAwait(false);
            }
            catch (DynamoDbLocalException) when (process.HasExited)
            {
                // Another process may have started one at the same moment; if so, share it.
                if (await PortProbe.ProbeAsync(port, cancellationToken).ConfigureAwait(false) != PortState.DynamoDb) throw;
                return new DynamoDbLocalInstance(DynamoDbLocal.EndpointFor(port), port, VerifiedPid(dataDirectory, port), dataDirectory);
            }
            PidFile.Write(dataDirectory, process.Id, port);
            return new DynamoDbLocalInstance(DynamoDbLocal.EndpointFor(port), port, process.Id, dataDirectory, StartedNow: true);
        }
        finally
        {
            StartLock.Release();
        }
    }

    public static async Task<string> StopAsync(int port, string? dataDirectory, CancellationToken cancellationToken)
    {
        dataDirectory ??= RepositoryRoot.DynamoDbDataDirectory(port);
        var record = PidFile.Read(dataDirectory);
        var problem = record?.Mismatch(port);
        if (record is null || problem is not null)
        {
            var stale = record is null ? "" : StaleNotice(dataDirectory, problem!) + " ";
            return stale + await PortProbe.ProbeAsync(port, cancellationToken).ConfigureAwait(false) switch
            {
                PortState.DynamoDb => $"A DynamoDB on port {port} was not started by this workbook (or its record is gone); stop it the way it was started.",
                PortState.Unresponsive => $"Something holds port {port} but does not answer, and it is not a DynamoDB Local this workbook can identify; find it with `ss -ltnp` and stop it yourself.",
                PortState.Other => $"Port {port} is held by something that is not DynamoDB; it was left alone.",
                _ => $"No DynamoDB Local is running on port {port}.",
            };
        }
        try
        {
            using var process = Process.GetProcessById(record.ProcessId);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // It ended between the check and the signal.
        }
        PidFile.Delete(dataDirectory);
        return $"Stopped DynamoDB Local on port {port} (process {record.ProcessId}). Its data stays in {dataDirectory}.";
    }

    public static async Task<string> StatusAsync(int port, CancellationToken cancellationToken)
    {
        var dataDirectory = RepositoryRoot.DynamoDbDataDirectory(port);
        var state = await PortProbe.ProbeAsync(port, cancellationToken).ConfigureAwait(false);
        var record = PidFile.Read(dataDirectory);
        var problem = record?.Mismatch(port);
        // Status only reads: a record that does not check out right now (half written by a start, say) is reported, never
        // removed, so that asking never costs a healthy instance its record; stop removes a stale one.
        var stale = record is not null && problem is not null
            ? $" The pid file {PidFile.PathIn(dataDirectory)} does not name this workbook's DynamoDB Local ({problem}); `dynamodb stop` removes it."
            : "";
        var pid = problem is null ? record?.ProcessId : null;
        return state switch
        {
            PortState.DynamoDb when pid is not null =>
                $"DynamoDB Local is running at {DynamoDbLocal.EndpointFor(port)} (process {pid}, data in {dataDirectory}).",
            PortState.DynamoDb => $"A DynamoDB not started by this workbook answers at {DynamoDbLocal.EndpointFor(port)}.",
            PortState.Unresponsive => Unresponsive(port, pid),
            PortState.Other => $"Port {port} is held by something that is not DynamoDB.",
            _ => $"No DynamoDB Local is running on port {port}.",
        } + stale;
    }

    private static int? VerifiedPid(string dataDirectory, int port)
    {
        var record = PidFile.Read(dataDirectory);
        return record is not null && record.Mismatch(port) is null ? record.ProcessId : null;
    }

    private static string StaleNotice(string dataDirectory, string problem)
    {
        PidFile.Delete(dataDirectory);
        return $"The pid file {PidFile.PathIn(dataDirectory)} does not name this workbook's DynamoDB Local ({problem}); it was removed and no process was signalled.";
    }

    private static string Unresponsive(int port, int? pid) =>
        string.Create(CultureInfo.InvariantCulture, $"Port {port} accepts connections but gives no answer within {PortProbe.AnswerTimeout.TotalSeconds:0} s: a DynamoDB Local that is paused ") +
        $"(stopped with Ctrl-Z or SIGSTOP{(pid is null ? "" : $"; it is process {pid}")}) or overloaded, or another program. " +
        $"Resume it ({(pid is null ? "fg, or kill -CONT PID" : $"kill -CONT {pid}")}), stop it (`dynamodb stop`), or choose another port with MLM_DYNAMODB_PORT.";
}
