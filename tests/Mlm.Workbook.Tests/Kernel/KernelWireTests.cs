using System.Text;
using System.Text.Json.Nodes;
using Mlm.Workbook.Kernel;

namespace Mlm.Workbook.Tests.Kernel;

/// <summary>The kernel's small pieces: signing, the wire format, connection files, cursor positions, the kernelspec.</summary>
public class KernelWireTests
{
    private static readonly byte[][] Signed = [.. new[] { "{\"msg_type\":\"x\"}", "{}", "{}", "{\"a\":1}" }.Select(Encoding.UTF8.GetBytes)];

    [Theory]
    // Expected digests computed with Python's hmac module over the same four frames.
    [InlineData("hmac-sha256", "8a0d749a431a924a2389012e9a0b36e668495d75e4e01c71869a435d06ce3fd9")]
    [InlineData("hmac-sha512", "68b12f41b646c48154a65d753cc448afd62b5338886626da52f01e94dd2838fd4eb848e85655c93e79a5c6c5ea47c55cc74f9830b320b5b6d06675116a0c6fa1")]
    public void Signatures_match_Pythons_hmac_and_honour_the_scheme(string scheme, string expected)
    {
        var signer = new MessageSigner("secret-key", scheme);
        Assert.Equal(expected, signer.Sign(Signed));
        Assert.True(signer.Verify(Encoding.ASCII.GetBytes(expected), Signed));
        Assert.False(signer.Verify(Encoding.ASCII.GetBytes(expected[..^1] + "0"), Signed));
        Assert.False(signer.Verify([], Signed));
    }

    [Fact]
    public void An_empty_key_means_no_signing()
    {
        var signer = new MessageSigner("");
        Assert.Equal("", signer.Sign(Signed));
        Assert.True(signer.Verify([], Signed));
    }

    [Fact]
    public void Messages_survive_the_wire_and_tampering_or_garbage_is_refused_without_throwing()
    {
        var codec = new WireCodec(new MessageSigner("k"));
        var message = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1 + 1" }, "s") with
        {
            Identities = [[1, 2, 3]], Buffers = [[9, 9]],
        };
        var frames = codec.Encode(message);
        Assert.True(codec.TryDecode(frames, out var decoded, out _));
        Assert.Equal("execute_request", decoded!.MessageType);
        Assert.Equal("1 + 1", decoded.Text("code"));
        Assert.Equal([1, 2, 3], decoded.Identities[0]);
        Assert.Equal([9, 9], decoded.Buffers[0]);

        var tampered = frames.ToList();
        tampered[^2] = Encoding.UTF8.GetBytes("{\"code\":\"rm -rf\"}");
        Assert.False(codec.TryDecode(tampered, out _, out var problem));
        Assert.Equal("wrong signature", problem);

        List<byte[]>[] garbage = [[], [[0xff]], [WireCodec.Delimiter], [WireCodec.Delimiter, [], [], [], [], []], [.. frames.Take(3)]];
        Assert.All(garbage, g => Assert.False(codec.TryDecode(g, out _, out _)));
    }

    [Fact]
    public void Connection_files_are_read_and_bad_ones_refused()
    {
        var file = ConnectionFile.Parse("""{"transport":"tcp","ip":"127.0.0.1","shell_port":5001,"control_port":5002,"stdin_port":5003,"iopub_port":5004,"hb_port":5005,"key":"abc","signature_scheme":"hmac-sha256"}""");
        Assert.Equal("tcp://127.0.0.1:5004", file.Endpoint(file.IOPubPort));
        Assert.Equal("abc", file.Key);
        Assert.Throws<FormatException>(() => ConnectionFile.Parse("{nope"));
        Assert.Throws<FormatException>(() => ConnectionFile.Parse("""{"transport":"udp","shell_port":1,"control_port":1,"stdin_port":1,"iopub_port":1,"hb_port":1}"""));
        Assert.Throws<FormatException>(() => ConnectionFile.Parse("""{"transport":"tcp","ip":"127.0.0.1"}"""));
        Assert.Throws<FormatException>(() => new MessageSigner("k", "rot13"));
    }

    [Fact]
    public void Cursor_positions_convert_between_code_points_and_UTF16()
    {
        const string text = "var 😀 = Console.Wri";
        Assert.Equal(text.Length, CodePoints.ToUtf16(text, text.Length - 1));
        Assert.Equal(text.Length - 1, CodePoints.FromUtf16(text, text.Length));
        Assert.Equal(4, CodePoints.ToUtf16(text, 4));
        Assert.Equal(6, CodePoints.ToUtf16(text, 5));
        Assert.Equal(text.Length, CodePoints.ToUtf16(text, 1000));
    }

    [Fact]
    public void Install_writes_a_marked_kernelspec_and_leaves_a_foreign_one_alone_unless_forced()
    {
        var data = Directory.CreateTempSubdirectory("mlm-kernelspec-").FullName;
        try
        {
            var folder = KernelSpec.Folder(data);
            Assert.True(KernelSpec.Install(data, ["/opt/mlm"], force: false).Succeeded);
            var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!;
            Assert.Equal(["/opt/mlm", "kernel", "start", "{connection_file}"], spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()));
            Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
            Assert.Equal(".NET (C#)", spec["display_name"]!.GetValue<string>());
            Assert.True(KernelSpec.Install(data, ["/opt/mlm2"], force: false).Succeeded, "re-installing our own is allowed");

            const string foreign = """{"argv":["/tools/dotnet-interactive","jupyter"],"display_name":".NET (C#)","language":"C#"}""";
            File.WriteAllText(Path.Combine(folder, "kernel.json"), foreign);
            var refused = KernelSpec.Install(data, ["/opt/mlm"], force: false);
            Assert.False(refused.Succeeded);
            Assert.Contains("--force", refused.Message);
            Assert.Contains("dotnet-interactive", refused.Message);
            Assert.False(KernelSpec.Uninstall(data).Succeeded);
            Assert.Equal(foreign, File.ReadAllText(Path.Combine(folder, "kernel.json")));

            Assert.True(KernelSpec.Install(data, ["/opt/mlm"], force: true).Succeeded);
            Assert.True(KernelSpec.IsOurs(Path.Combine(folder, "kernel.json")));
            Assert.True(KernelSpec.Uninstall(data).Succeeded);
            Assert.False(Directory.Exists(folder));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
