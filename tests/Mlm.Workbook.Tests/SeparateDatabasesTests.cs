using Amazon.DynamoDBv2.Model;

namespace Mlm.Workbook.Tests;

/// <summary>
/// DynamoDB Local without <c>-sharedDb</c>, as <c>grade</c> starts it: each access key id (<c>MLM_DYNAMODB_ACCESS_KEY</c>)
/// has a database of its own, so one key can neither list nor delete another's tables.
/// </summary>
public sealed class SeparateDatabasesTests
{
    [Fact]
    public async Task Each_access_key_sees_and_deletes_only_its_own_tables()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var local = await DynamoDbLocal.StartInMemoryAsync(separateDatabasePerAccessKey: true, cancel);
        var saved = Environment.GetEnvironmentVariable(LocalCredentials.AccessKeyVariable);
        Amazon.DynamoDBv2.IAmazonDynamoDB alice, mallory;
        try
        {
            // The key is read when a client is made. (Other tests' clients go to the shared-database instance, where keys do not matter.)
            Environment.SetEnvironmentVariable(LocalCredentials.AccessKeyVariable, "alicekey");
            alice = Connection.ForLocalEndpoint(local.Endpoint);
            Environment.SetEnvironmentVariable(LocalCredentials.AccessKeyVariable, "mallorykey");
            mallory = Connection.ForLocalEndpoint(local.Endpoint);
        }
        finally
        {
            Environment.SetEnvironmentVariable(LocalCredentials.AccessKeyVariable, saved);
        }
        using (alice)
        using (mallory)
        {
            var store = new MlmStore(alice, LocalDynamoDb.UniqueTableName("alice"));
            await store.CreateTableAsync(cancel);

            Assert.Empty((await mallory.ListTablesAsync(new ListTablesRequest(), cancel)).TableNames ?? []);
            await Assert.ThrowsAsync<ResourceNotFoundException>(() => mallory.DeleteTableAsync(store.TableName, cancel));
            Assert.Equal([store.TableName], (await alice.ListTablesAsync(new ListTablesRequest(), cancel)).TableNames);
        }
    }
}
