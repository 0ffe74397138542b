using Mlm.Workbook.Kernel;

namespace Mlm.Workbook.Tests.Platforms;

/// <summary>The kernel's parent watch and child clean-up, decided for Windows on Linux.</summary>
public class KernelParentTests
{
    private static readonly DateTime OurStart = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void On_Windows_the_parent_is_gone_when_its_id_names_no_process_or_a_newer_one()
    {
        Assert.Null(ParentWatch.WindowsParentGone(4242, OurStart, _ => OurStart.AddMinutes(-5)));
        Assert.Equal("parent process 4242 has ended", ParentWatch.WindowsParentGone(4242, OurStart, _ => null));
        // Windows reuses ids: a process with the parent's id that started after us is not our parent.
        Assert.Contains("newer process", ParentWatch.WindowsParentGone(4242, OurStart, _ => OurStart.AddSeconds(30)));
    }

    [Fact]
    public void On_Unix_the_parent_is_gone_when_the_named_one_ended_or_we_were_re_parented()
    {
        Assert.Null(ParentWatch.UnixParentGone(100, 100, 100, _ => true));
        Assert.Contains("JPY_PARENT_PID", ParentWatch.UnixParentGone(100, 100, 100, _ => false));
        Assert.Equal("parent process 100 has ended", ParentWatch.UnixParentGone(null, 100, 1, _ => true));
    }

    [Fact]
    public void On_Windows_every_child_is_ended_and_on_Linux_only_those_in_our_session()
    {
        // Windows has no sessions to leave: the snapshot lists each process with its parent only.
        ChildProcesses.Entry[] windows = [new(10, 4, null), new(11, 10, null), new(12, 10, null), new(13, 11, null), new(14, 99, null)];
        Assert.Equal([11, 12], ChildProcesses.OwnChildren(10, windows));

        ChildProcesses.Entry[] linux = [new(10, 4, 4), new(11, 10, 4), new(12, 10, 12), new(13, 11, 4)];
        Assert.Equal([11], ChildProcesses.OwnChildren(10, linux));
    }

    [Fact]
    public void On_macOS_the_process_list_comes_from_ps()
    {
        var processes = ChildProcesses.ParsePs("    1     0\n  501     1\n  777   501\n  778   501\n  900   777\nbogus line\n");

        Assert.Equal(5, processes.Count);
        Assert.Equal([777, 778], ChildProcesses.OwnChildren(501, processes));
    }
}
