using System.Diagnostics;

namespace Mlm.Workbook.Tests;

/// <summary>DynamoDB Local on disk, killed with SIGKILL in the middle of a seed, started again, seeded again.</summary>
public class CrashTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_seed_cut_off_by_a_killed_database_and_run_again_ends_with_exact_items()
    {
        var port = DynamoDbLocal.FreePort();
        // On tmpfs where there is one: the files outlive the killed process as on any disk, and writes are three times faster.
        var dataDirectory = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"mlm-crash-{port}");
        try
        {
            var first = await DynamoDbLocal.EnsureRunningAsync(port, dataDirectory, Cancel);
            var store = new MlmStore(Connection.ForLocalEndpoint(first.Endpoint), "crash");
            await store.CreateTableAsync(Cancel);
            var data = FakeData.Generate(new FakeDataOptions(Members: 45_000, Sales: 5_000));
            var expected = data.Items().Select(i => $"{i["pk"].S}|{i["sk"].S}").Order(StringComparer.Ordinal).ToList();
            Assert.Equal(50_000, expected.Count);

            var killedAt = 0;
            var killed = new TaskCompletionSource();
            var seeding = store.SeedAsync(data, progress: new Presentation.ProgressCallback<int>(written =>
            {
                if (written < 10_000 || killed.Task.IsCompleted) return;
                killedAt = written;
                Process.GetProcessById(first.ProcessId!.Value).Kill(); // SIGKILL: no chance to flush or shut down
                killed.TrySetResult();
            }), cancellationToken: Cancel);
            await Assert.ThrowsAnyAsync<Exception>(() => seeding);
            Assert.True(killed.Task.IsCompleted, "the database was never killed");
            Assert.InRange(killedAt, 10_000, 49_999);

            var second = await DynamoDbLocal.EnsureRunningAsync(port, dataDirectory, Cancel);
            Assert.True(second.StartedNow);
            store = new MlmStore(Connection.ForLocalEndpoint(second.Endpoint), "crash");
            var survived = await store.KeysAsync(Cancel);
            Assert.InRange(survived.Count, 1, 49_999);

            await store.SeedAsync(data, cancellationToken: Cancel);

            Assert.Equal(expected, (await store.KeysAsync(Cancel)).Order(StringComparer.Ordinal));
        }
        finally
        {
            await DynamoDbLocal.StopAsync(port, dataDirectory, CancellationToken.None);
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
