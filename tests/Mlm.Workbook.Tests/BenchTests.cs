using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Mlm.Workbook.Tests.Kernel;

namespace Mlm.Workbook.Tests;

/// <summary>The bench, run as a user runs it, through a proxy that records every request it sends.</summary>
[Collection(nameof(NotebookRunnerCollection))]
public class BenchTests(LocalDynamoDb dynamo)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_bench_on_a_four_digit_data_set_walks_the_root_s_downline_and_dates_every_request()
    {
        await using var proxy = RecordingProxy.Start(dynamo.Endpoint);
        var start = new ProcessStartInfo(KernelProcess.Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // 1,250 items: 1,000 members, so ids have four digits (0001 … 1000).
        foreach (var argument in new[] { "bench", "--items", "1250" }) start.ArgumentList.Add(argument);
        start.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = proxy.Endpoint;
        start.Environment.Remove("MLM_DYNAMODB");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        Assert.True(process.ExitCode == 0, await output + await errors);

        var summary = JsonNode.Parse((await output).Trim().Split('\n')[^1])!;
        Assert.Equal(999, summary["downline"]!["members"]!.GetValue<int>());
        Assert.DoesNotContain("Downline of 001:", await output);
        Assert.Contains("Downline of 0001: 999 members", await output);
        Assert.True(proxy.Requests > 0);
        Assert.Empty(proxy.Undated);
    }
}

/// <summary>An HTTP proxy in front of DynamoDB Local that records which requests came without an X-Amz-Date header.</summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _http = new();
    private readonly string _target;
    private readonly Task _loop;
    public readonly ConcurrentBag<string> Undated = [];
    public int Requests;

    private RecordingProxy(string target)
    {
        _target = target;
        var port = DynamoDbLocal.FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Endpoint { get; }

    public static RecordingProxy Start(string target) => new(target);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(() => ForwardAsync(context));
        }
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref Requests);
        var target = context.Request.Headers["X-Amz-Target"] ?? "";
        if (string.IsNullOrEmpty(context.Request.Headers["X-Amz-Date"])) Undated.Add(target);
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), _target + context.Request.RawUrl) { Content = new ByteArrayContent(body.ToArray()) };
        foreach (var name in context.Request.Headers.AllKeys)
        {
            if (name is null || name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            var value = context.Request.Headers[name]!;
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var response = await _http.SendAsync(request);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
                if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                    context.Response.Headers[header.Key] = string.Join(",", header.Value);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
        }
        catch (Exception)
        {
            context.Response.StatusCode = 502;
        }
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
        _http.Dispose();
    }
}
