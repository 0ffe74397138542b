namespace Mlm.Workbook;

/// <summary>The data an analysis reads: its store, which data set it holds, and the days it covers.</summary>
/// <param name="Store">The store of the table to read.</param>
/// <param name="Profile"><c>faithful</c> or <c>realistic</c>.</param>
/// <param name="FirstDay">The data set's first day of sales.</param>
/// <param name="LastDay">The data set's last day of sales.</param>
public sealed record AnalyticsSource(MlmStore Store, string Profile, DateOnly FirstDay, DateOnly LastDay);

/// <summary>
/// The tables an analysis reads. The faithful profile is the exercise's table as notebook 2 seeded it; the realistic one is a
/// table of its own, the workbook's table name + <see cref="Suffix"/> (<c>mlm_analytics</c>), created and seeded with the
/// default <see cref="RealisticDataOptions"/> when missing, so the exercise's table stays as the other notebooks need it.
/// </summary>
public static class AnalyticsTable
{
    /// <summary>What the realistic data set's table adds to the workbook's table name.</summary>
    public const string Suffix = "_analytics";

    /// <summary>The profiles: the exercise's data set, or the realistic one.</summary>
    public static IReadOnlyList<string> Profiles { get; } = ["faithful", "realistic"];

    /// <summary>The realistic data set's table for a workbook table: <c>mlm</c> gives <c>mlm_analytics</c>.</summary>
    public static string NameFor(string tableName) => tableName + Suffix;

    /// <summary>
    /// Opens the table of a profile. For <c>realistic</c>, creates its table if missing and seeds it (seeding again writes
    /// nothing; a table holding other data is refused with the reason).
    /// </summary>
    /// <param name="settings">The connection, as <see cref="ConnectionSettings.FromEnvironment"/> reads it.</param>
    /// <param name="profile"><c>faithful</c> or <c>realistic</c>.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <exception cref="ArgumentException">Another profile name.</exception>
    public static async Task<AnalyticsSource> OpenAsync(ConnectionSettings settings, string profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        switch (profile?.Trim().ToLowerInvariant())
        {
            case "faithful":
                var faithful = new FakeDataOptions();
                return new AnalyticsSource(await Connection.OpenStoreAsync(settings, cancellationToken).ConfigureAwait(false), "faithful",
                    faithful.Today.AddDays(-30), faithful.Today.AddDays(-1));
            case "realistic":
                var options = new RealisticDataOptions();
                var store = await Connection.OpenStoreAsync(settings with { TableName = NameFor(settings.TableName) }, cancellationToken).ConfigureAwait(false);
                await store.CreateTableAsync(cancellationToken).ConfigureAwait(false);
                await store.SeedAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new AnalyticsSource(store, "realistic", options.FirstDay, options.LastDay);
            default:
                throw new ArgumentException($"The data profile is \"{profile}\"; use \"realistic\" (its own table, seeded when missing) or \"faithful\" (the exercise's table).", nameof(profile));
        }
    }
}
