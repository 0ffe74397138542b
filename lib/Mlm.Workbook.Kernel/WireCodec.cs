using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// Jupyter's multipart wire format: routing identities, the <c>&lt;IDS|MSG&gt;</c> delimiter, the signature, then
/// header, parent header, metadata and content as JSON, then any binary buffers.
/// </summary>
public sealed class WireCodec(MessageSigner signer)
{
    /// <summary>The frame between the routing identities and the message.</summary>
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    /// <summary>The frames of a message, signed.</summary>
    public List<byte[]> Encode(JupyterMessage message)
    {
        byte[][] signed =
        [
            Json(message.Header), Json(message.ParentHeader), Json(message.Metadata), Json(message.Content),
        ];
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(signed)));
        frames.AddRange(signed);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>
    /// Reads a message from its frames. Returns false, with the reason, for anything malformed or wrongly signed;
    /// nothing here throws on bad input.
    /// </summary>
    public bool TryDecode(IReadOnlyList<byte[]> frames, out JupyterMessage? message, out string? problem)
    {
        message = null;
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { delimiter = i; break; }
        }
        if (delimiter < 0) { problem = "no <IDS|MSG> delimiter"; return false; }
        if (frames.Count - delimiter - 1 < 5) { problem = $"{frames.Count - delimiter - 1} frames after the delimiter (need signature, header, parent_header, metadata, content)"; return false; }

        var signed = new[] { frames[delimiter + 2], frames[delimiter + 3], frames[delimiter + 4], frames[delimiter + 5] };
        if (!signer.Verify(frames[delimiter + 1], signed)) { problem = "wrong signature"; return false; }

        var parts = new JsonObject[4];
        string[] names = ["header", "parent_header", "metadata", "content"];
        for (var i = 0; i < 4; i++)
        {
            try
            {
                if (JsonNode.Parse(signed[i]) is not JsonObject part) { problem = $"the {names[i]} is not a JSON object"; return false; }
                parts[i] = part;
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
            {
                problem = $"the {names[i]} is not JSON";
                return false;
            }
        }
        if (parts[0]["msg_type"] is not JsonValue type || !type.TryGetValue(out string? _)) { problem = "the header has no msg_type"; return false; }

        message = new JupyterMessage(frames.Take(delimiter).ToList(), parts[0], parts[1], parts[2], parts[3], frames.Skip(delimiter + 6).ToList());
        problem = null;
        return true;
    }

    private static byte[] Json(JsonObject node) => JsonSerializer.SerializeToUtf8Bytes(node);
}
