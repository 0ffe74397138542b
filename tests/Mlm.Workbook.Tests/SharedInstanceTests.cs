
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
            var first = await DynamoDbLocal.EnsureRunningAsync(port, Cancel);
            Assert.NotNull(first.ProcessId);
            Assert.Equal(dataDirectory, first.DataDirectory);
            var store = new MlmStore(Connection.ForLocalEndpoint(first.Endpoint), "kept");
            await store.CreateTableAsync(Cancel);
            var data = FakeData.Generate(new FakeDataOptions(Members: 10, Sales: 5));
            await store.SeedAsync(data, cancellationToken: Cancel);

            var reused = await DynamoDbLocal.EnsureRunningAsync(port, Cancel);
            Assert.Equal(first.ProcessId, reused.ProcessId);
            Assert.Contains($"process {first.ProcessId}", await DynamoDbLocal.StatusAsync(port, Cancel));

            Assert.StartsWith("Stopped DynamoDB Local", await DynamoDbLocal.StopAsync(port, Cancel));
            Assert.Equal(PortState.Free, await DynamoDbLocal.ProbeAsync(port, Cancel));
            Assert.StartsWith("No DynamoDB Local is running", await DynamoDbLocal.StatusAsync(port, Cancel));

            var second = await DynamoDbLocal.EnsureRunningAsync(port, Cancel);
            Assert.NotEqual(first.ProcessId, second.ProcessId);
            var scan = await new MlmStore(Connection.ForLocalEndpoint(second.Endpoint), "kept").ScanAsync(Cancel);
            Assert.Equal(15, scan.Count);
        }
        finally
        {
            await DynamoDbLocal.StopAsync(port, CancellationToken.None);
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
