namespace Mlm.Workbook.Notebooks;

/// <summary>Whoever can answer a cell's <c>Console.ReadLine()</c>: a front end that allows input, for one cell.</summary>
public interface ICellInput
{
    /// <summary>Asks for one line and waits for the answer; an interrupt of the cell stops the wait.</summary>
    /// <returns>The line typed, without its line break.</returns>
    string ReadLine();
}
