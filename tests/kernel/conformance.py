"""The Jupyter protocol's own conformance suite (jupyter_kernel_test) against the installed .net-csharp kernelspec.

Run with Debian's /usr/bin/python3 and JUPYTER_PATH pointing at a folder where `mlm kernel install --path` wrote it:
    JUPYTER_PATH=DIR /usr/bin/python3 -m unittest -v conformance
"""
import unittest

import jupyter_kernel_test

# The first cell compiles the session and loads Roslyn: slower than the suite's 15 s per reply allows on a busy machine.
WARM_UP_TIMEOUT = 180


class CSharpKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = ".net-csharp"
    language_name = "C#"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("to stderr");'
    code_generate_error = 'throw new InvalidOperationException("boom");'
    code_execute_result = [{"code": "6 * 7", "result": "42"}]
    code_display_data = [{"code": 'display("shown");', "mime": "text/plain"}]
    completion_samples = [{"text": "Console.Wri", "matches": {"WriteLine", "Write"}}]
    complete_code_samples = ["1 + 1;", 'Console.WriteLine("x");', "var x = 3;"]
    incomplete_code_samples = ["if (true) {", "var list = new List<int> {"]
    invalid_code_samples = ["var = ;", "1 +;"]
    code_inspect_sample = "Console.WriteLine"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reply = cls.reply_to(cls.kc.execute("1"))
        assert reply["content"]["status"] == "ok", reply["content"]
        # Completion and inspection load Roslyn's workspace on first use.
        cls.reply_to(cls.kc.complete("Console.Wri"))
        cls.reply_to(cls.kc.inspect("Console"))

    @classmethod
    def reply_to(cls, msg_id):
        """The shell reply to msg_id, skipping the extra kernel_info replies wait_for_ready leaves behind."""
        while True:
            reply = cls.kc.get_shell_msg(timeout=WARM_UP_TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply


if __name__ == "__main__":
    unittest.main()
