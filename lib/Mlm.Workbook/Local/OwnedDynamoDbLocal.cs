using System.Diagnostics;
using System.Text;

namespace Mlm.Workbook;

/// <summary>A private in-memory DynamoDB Local this process started and stops when disposed (tests, bench).</summary>
public sealed class OwnedDynamoDbLocal : IAsyncDisposable
{
    private readonly Process _process;

    private OwnedDynamoDbLocal(DynamoDbLocalInstance instance, Process process)
    {
        Instance = instance;
        _process = process;
    }

    /// <summary>Starts one in memory on a free port, with one database for every access key (<c>-sharedDb</c>).</summary>
    public static Task<OwnedDynamoDbLocal> StartAsync(CancellationToken cancellationToken = default) => StartAsync(sharedDb: true, cancellationToken);

    /// <summary>
    /// Starts one in memory on a free port; with <paramref name="sharedDb"/> false, each access key id and region has a
    /// database of its own, so a client sees (and can delete) only the tables made with its key.
    /// </summary>
    public static async Task<OwnedDynamoDbLocal> StartAsync(bool sharedDb, CancellationToken cancellationToken = default)
    {
        var port = PortProbe.FreePort();
        var output = new StringBuilder();
        var process = await DynamoDbLocalProcess.LaunchAsync(port, cancellationToken, sharedDb).ConfigureAwait(false);
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var owned = new OwnedDynamoDbLocal(new DynamoDbLocalInstance(DynamoDbLocal.EndpointFor(port), port, process.Id, null), process);
        try
        {
            await DynamoDbLocalProcess.WaitUntilAnsweringAsync(process, port, () => { lock (output) return output.ToString(); }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await owned.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return owned;
    }

    /// <summary>The running instance.</summary>
    public DynamoDbLocalInstance Instance { get; }

    /// <summary>Its endpoint URL.</summary>
    public string Endpoint => Instance.Endpoint;

    /// <summary>The Java process, for tests that need to stop it abruptly.</summary>
    public Process Process => _process;

    /// <summary>Stops the process and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
