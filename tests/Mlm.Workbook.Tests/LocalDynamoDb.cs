using Amazon.DynamoDBv2;
using Mlm.Workbook;

[assembly: AssemblyFixture(typeof(Mlm.Workbook.Tests.LocalDynamoDb))]

namespace Mlm.Workbook.Tests;

/// <summary>One in-memory DynamoDB Local for the whole test run; every test makes its own table in it.</summary>
public sealed class LocalDynamoDb : IAsyncLifetime
{
    private OwnedDynamoDbLocal? _instance;

    public string Endpoint => _instance?.Endpoint ?? throw new InvalidOperationException("DynamoDB Local is not started.");

    public async ValueTask InitializeAsync() => _instance = await DynamoDbLocal.StartInMemoryAsync();

    public async ValueTask DisposeAsync()
    {
        if (_instance is not null) await _instance.DisposeAsync();
    }

    public IAmazonDynamoDB Client() => Connection.ForLocalEndpoint(Endpoint);

    public static string UniqueTableName(string purpose) => $"{purpose}-{Guid.NewGuid():N}";

    /// <summary>A store on a new, empty table of the exercise's shape.</summary>
    public async Task<MlmStore> NewTableAsync(string purpose, IAmazonDynamoDB? client = null)
    {
        var store = new MlmStore(client ?? Client(), UniqueTableName(purpose));
        await store.CreateTableAsync(TestContext.Current.CancellationToken);
        return store;
    }

    /// <summary>A store on a new table holding the default fake data set.</summary>
    public async Task<(MlmStore Store, SeedData Data)> SeededTableAsync(string purpose, FakeDataOptions? options = null)
    {
        var store = await NewTableAsync(purpose);
        var data = FakeData.Generate(options);
        await store.SeedAsync(data, cancellationToken: TestContext.Current.CancellationToken);
        return (store, data);
    }
}
