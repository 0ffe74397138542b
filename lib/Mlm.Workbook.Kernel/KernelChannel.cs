namespace Mlm.Workbook.Kernel;

/// <summary>The channels a request can arrive on.</summary>
public enum KernelChannel
{
    /// <summary>Execution, completion, inspection: handled one at a time.</summary>
    Shell,
    /// <summary>Interrupt, shutdown, kernel_info: handled while a cell runs.</summary>
    Control,
    /// <summary>Replies to input requests (this kernel asks for none).</summary>
    Stdin,
}
