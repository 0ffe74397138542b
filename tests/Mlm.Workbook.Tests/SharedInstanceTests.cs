using System.Diagnostics;

namespace Mlm.Workbook.Tests;

/// <summary>The notebooks' instance: on disk, reused while running, its data kept across a restart.</summary>
public class SharedInstanceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_on_disk_instance_is_reused_while_running_and_keeps_its_data_after_a_restart()
    {
        var port = DynamoDbLocal.FreePort();
        var dataDirectory = DynamoDbLocal.DataDirectory(port);
        try
        {
            var first = await DynamoDbLocal.EnsureRunningAsync(port, cancellationToken: Cancel);
            Assert.NotNull(first.ProcessId);
            Assert.Equal(dataDirectory, first.DataDirectory);
            var store = new MlmStore(Connection.ForLocalEndpoint(first.Endpoint), "kept");
            await store.CreateTableAsync(Cancel);
            var data = FakeData.Generate(new FakeDataOptions(Members: 10, Sales: 5));
            await store.SeedAsync(data, cancellationToken: Cancel);

            var reused = await DynamoDbLocal.EnsureRunningAsync(port, cancellationToken: Cancel);
            Assert.Equal(first.ProcessId, reused.ProcessId);
            Assert.Contains($"process {first.ProcessId}", await DynamoDbLocal.StatusAsync(port, Cancel));

            Assert.StartsWith("Stopped DynamoDB Local", await DynamoDbLocal.StopAsync(port, cancellationToken: Cancel));
            Assert.Equal(PortState.Free, await DynamoDbLocal.ProbeAsync(port, Cancel));
            Assert.StartsWith("No DynamoDB Local is running", await DynamoDbLocal.StatusAsync(port, Cancel));

            var second = await DynamoDbLocal.EnsureRunningAsync(port, cancellationToken: Cancel);
            Assert.NotEqual(first.ProcessId, second.ProcessId);
            var scan = await new MlmStore(Connection.ForLocalEndpoint(second.Endpoint), "kept").ScanAsync(Cancel);
            Assert.Equal(data.Members.Count + data.Sales.Count, scan.Count);
        }
        finally
        {
            await DynamoDbLocal.StopAsync(port, cancellationToken: CancellationToken.None);
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static Process Sleeper()
    {
        var start = new ProcessStartInfo("sleep", "300") { UseShellExecute = false };
        return Process.Start(start)!;
    }

    [Fact]
    public async Task A_forged_pid_file_is_reported_and_removed_and_its_process_left_alone()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Process identity is read from /proc.");
        var port = DynamoDbLocal.FreePort();
        var dataDirectory = DynamoDbLocal.DataDirectory(port);
        using var sleeper = Sleeper();
        try
        {
            Directory.CreateDirectory(dataDirectory);
            var pidPath = Path.Combine(dataDirectory, "dynamodb-local.pid");
            File.WriteAllText(pidPath, sleeper.Id.ToString());

            var answer = await DynamoDbLocal.StopAsync(port, cancellationToken: Cancel);

            Assert.DoesNotContain("Stopped", answer);
            Assert.Contains("does not name this workbook's DynamoDB Local", answer);
            Assert.Contains($"process {sleeper.Id} is not DynamoDB Local on port {port}", answer);
            Assert.False(File.Exists(pidPath));
            Assert.False(sleeper.HasExited);
        }
        finally
        {
            sleeper.Kill();
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task With_a_live_instance_a_forged_pid_file_neither_kills_the_other_process_nor_orphans_the_instance_unnoticed()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Process identity is read from /proc.");
        var port = DynamoDbLocal.FreePort();
        var dataDirectory = DynamoDbLocal.DataDirectory(port);
        using var sleeper = Sleeper();
        try
        {
            var instance = await DynamoDbLocal.EnsureRunningAsync(port, cancellationToken: Cancel);
            var pidPath = Path.Combine(dataDirectory, "dynamodb-local.pid");
            var genuine = File.ReadAllText(pidPath);
            File.WriteAllText(pidPath, sleeper.Id.ToString());

            var answer = await DynamoDbLocal.StopAsync(port, cancellationToken: Cancel);

            Assert.False(sleeper.HasExited);
            Assert.Contains("no process was signalled", answer);
            Assert.Contains($"A DynamoDB on port {port} was not started by this workbook", answer);
            Assert.Equal(PortState.DynamoDb, await DynamoDbLocal.ProbeAsync(port, Cancel));

            // A pid file naming the instance but recorded for another start time is refused too.
            var lines = genuine.Split('\n');
            File.WriteAllText(pidPath, $"{lines[0]}\nticks:1\n{port}\n");
            Assert.Contains("started at another time", await DynamoDbLocal.StopAsync(port, cancellationToken: Cancel));
            Assert.Equal(PortState.DynamoDb, await DynamoDbLocal.ProbeAsync(port, Cancel));

            File.WriteAllText(pidPath, genuine);
            Assert.StartsWith("Stopped DynamoDB Local", await DynamoDbLocal.StopAsync(port, cancellationToken: Cancel));
            Assert.Equal(PortState.Free, await DynamoDbLocal.ProbeAsync(port, Cancel));
            Assert.NotNull(instance.ProcessId);
        }
        finally
        {
            sleeper.Kill();
            await DynamoDbLocal.StopAsync(port, cancellationToken: CancellationToken.None);
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Status_never_removes_the_pid_file_of_a_healthy_instance()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Process identity is read from /proc.");
        var port = DynamoDbLocal.FreePort();
        var dataDirectory = DynamoDbLocal.DataDirectory(port);
        try
        {
            var instance = await DynamoDbLocal.EnsureRunningAsync(port, cancellationToken: Cancel);
            var pidPath = Path.Combine(dataDirectory, "dynamodb-local.pid");
            var genuine = File.ReadAllText(pidPath);

            // The file as another writer leaves it for a moment (emptied, not yet written): status reads it then.
            File.WriteAllText(pidPath, "");
            var status = await DynamoDbLocal.StatusAsync(port, Cancel);
            Assert.True(File.Exists(pidPath), "status removed the pid file");
            Assert.Contains("`dynamodb stop` removes it", status);

            File.WriteAllText(pidPath, genuine);
            Assert.Contains($"process {instance.ProcessId}", await DynamoDbLocal.StatusAsync(port, Cancel));
            Assert.True(File.Exists(pidPath));
            Assert.StartsWith("Stopped DynamoDB Local", await DynamoDbLocal.StopAsync(port, cancellationToken: Cancel));
        }
        finally
        {
            await DynamoDbLocal.StopAsync(port, cancellationToken: CancellationToken.None);
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_paused_instance_is_reported_as_paused_not_as_something_else()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "SIGSTOP and SIGCONT.");
        var port = DynamoDbLocal.FreePort();
        var dataDirectory = DynamoDbLocal.DataDirectory(port);
        try
        {
            var instance = await DynamoDbLocal.EnsureRunningAsync(port, cancellationToken: Cancel);
            Signals.Send(instance.ProcessId!.Value, Signals.SigStop);
            try
            {
                await Signals.WaitUntilStoppedAsync(instance.ProcessId!.Value, Cancel);
                Assert.Equal(PortState.Unresponsive, await DynamoDbLocal.ProbeAsync(port, Cancel));
                var status = await DynamoDbLocal.StatusAsync(port, Cancel);
                Assert.Contains("accepts connections but gives no answer", status);
                Assert.Contains($"kill -CONT {instance.ProcessId}", status);
            }
            finally
            {
                Signals.Send(instance.ProcessId!.Value, Signals.SigCont);
            }
        }
        finally
        {
            await DynamoDbLocal.StopAsync(port, cancellationToken: CancellationToken.None);
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
