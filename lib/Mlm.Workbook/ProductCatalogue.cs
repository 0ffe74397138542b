namespace Mlm.Workbook;

/// <summary>A product the members sell, in the realistic data set.</summary>
/// <param name="Id">The product's id, <c>P07</c>.</param>
/// <param name="Name">What it is called; a sale's <c>item</c>.</param>
/// <param name="Category">Its category.</param>
/// <param name="UnitPrice">The price of one unit, two decimal places.</param>
/// <param name="Popularity">How often it is chosen relative to the others (a weight, not a share).</param>
public sealed record Product(string Id, string Name, string Category, decimal UnitPrice, int Popularity);

/// <summary>The catalogue of the realistic data set: twenty products in five categories, from a 9.90 sample to a 249.00 device.</summary>
public static class ProductCatalogue
{
    /// <summary>Every product, in id order.</summary>
    public static IReadOnlyList<Product> All { get; } =
    [
        new("P01", "Daily Greens Powder", "Nutrition", 39.90m, 9),
        new("P02", "Protein Shake Vanilla", "Nutrition", 54.00m, 8),
        new("P03", "Omega-3 Capsules", "Nutrition", 29.50m, 7),
        new("P04", "Vitamin D3 Drops", "Nutrition", 18.75m, 6),
        new("P05", "Collagen Booster", "Nutrition", 64.00m, 4),
        new("P06", "Hydrating Face Serum", "Skin care", 48.00m, 7),
        new("P07", "Night Repair Cream", "Skin care", 62.50m, 5),
        new("P08", "Gentle Cleanser", "Skin care", 22.00m, 6),
        new("P09", "Sun Shield SPF 50", "Skin care", 26.90m, 5),
        new("P10", "Eco Laundry Pods", "Home", 19.90m, 8),
        new("P11", "All-Purpose Concentrate", "Home", 14.50m, 7),
        new("P12", "Essential Oil Diffuser", "Home", 79.00m, 3),
        new("P13", "Lavender Essential Oil", "Home", 12.90m, 6),
        new("P14", "Resistance Band Set", "Fitness", 34.00m, 4),
        new("P15", "Smart Water Bottle", "Fitness", 45.00m, 3),
        new("P16", "Yoga Mat Pro", "Fitness", 68.00m, 2),
        new("P17", "Recovery Massage Gun", "Fitness", 249.00m, 1),
        new("P18", "Starter Kit", "Kits", 149.00m, 3),
        new("P19", "Wellness Bundle", "Kits", 199.00m, 2),
        new("P20", "Sample Pack", "Kits", 9.90m, 5),
    ];

    /// <summary>The categories, in catalogue order.</summary>
    public static IReadOnlyList<string> Categories { get; } = All.Select(p => p.Category).Distinct().ToList();

    /// <summary>The product with this id, or an error naming it.</summary>
    public static Product Find(string productId) =>
        All.FirstOrDefault(p => p.Id == productId) ?? throw new ArgumentException($"There is no product {productId} in the catalogue.", nameof(productId));
}
