using Mlm.Workbook.Notebooks.Course;

namespace Mlm.Workbook.Tests;

/// <summary>The grades as a spreadsheet opens them.</summary>
public sealed class GradeReportTests
{
    [Fact]
    public void Csv_fields_that_a_spreadsheet_would_take_for_formulas_are_prefixed_with_a_quote()
    {
        var rows = new[]
        {
            new GradeRow("=HYPERLINK(\"http://x\",\"y\")", "04-1", "04-list-downline.ipynb", false, "failed", "+1+cmd|' /C calc'!A0"),
            new GradeRow("@SUM(A1)", "05-1", "05-sales-by-date.ipynb", false, "failed", "-2+3"),
            new GradeRow("\tTAB", "06-1", "06-sales-of-member.ipynb", true, "passed", "plain, with a comma"),
        };

        var lines = GradeReport.Csv(rows).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("folder,exercise,notebook,passed,status,message", lines[0]);
        Assert.Equal("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",04-1,04-list-downline.ipynb,false,failed,'+1+cmd|' /C calc'!A0", lines[1]);
        Assert.Equal("'@SUM(A1),05-1,05-sales-by-date.ipynb,false,failed,'-2+3", lines[2]);
        Assert.Equal("'\tTAB,06-1,06-sales-of-member.ipynb,true,passed,\"plain, with a comma\"", lines[3]);
    }
}
