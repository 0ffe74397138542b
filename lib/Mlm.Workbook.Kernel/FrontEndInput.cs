using System.Text.Json.Nodes;
using Mlm.Workbook.Notebooks;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// A cell's console input from the front end, for an execute request that allows it: an input_request on stdin to
/// the client that sent the cell, and the cell waits for the input_reply. An interrupt of the cell ends the wait.
/// </summary>
internal sealed class FrontEndInput(Action<JupyterMessage> askOnStdin, JupyterMessage request, string session, Action flushOutputs, CancellationToken cellCancellation)
    : ICellInput
{
    private TaskCompletionSource<string>? _waiting;

    public string ReadLine()
    {
        flushOutputs(); // a prompt the cell wrote shows before the input box
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _waiting, answer);
        askOnStdin(JupyterMessage.Create("input_request", new JsonObject { ["prompt"] = "", ["password"] = false }, session, request));
        try
        {
            return answer.Task.WaitAsync(cellCancellation).GetAwaiter().GetResult();
        }
        finally
        {
            Interlocked.CompareExchange(ref _waiting, null, answer);
        }
    }

    /// <summary>Answers the read that waits, with an input_reply's value; false when none waits.</summary>
    public bool Answer(JupyterMessage reply) => Volatile.Read(ref _waiting)?.TrySetResult(reply.Text("value")) == true;
}
