using System.Globalization;
using System.Text.Json.Nodes;

namespace Mlm.Workbook.Kernel;

/// <summary>One Jupyter message: who sent it (the ROUTER identities), its header, its parent's header, metadata, content and binary buffers.</summary>
public sealed record JupyterMessage(
    IReadOnlyList<byte[]> Identities,
    JsonObject Header,
    JsonObject ParentHeader,
    JsonObject Metadata,
    JsonObject Content,
    IReadOnlyList<byte[]> Buffers)
{
    /// <summary>The protocol version this kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>The header's <c>msg_type</c>, or empty.</summary>
    public string MessageType => Header["msg_type"] is JsonValue value && value.TryGetValue(out string? type) ? type : "";

    /// <summary>The header's <c>session</c>, or empty.</summary>
    public string Session => Header["session"] is JsonValue value && value.TryGetValue(out string? session) ? session : "";

    /// <summary>A new message from the kernel in reply to (or caused by) <paramref name="parent"/>, to the same identities.</summary>
    public static JupyterMessage Create(string messageType, JsonObject content, string session, JupyterMessage? parent = null, JsonObject? metadata = null) =>
        new(parent?.Identities ?? [],
            NewHeader(messageType, session),
            parent is null ? [] : (JsonObject)parent.Header.DeepClone(),
            metadata ?? [],
            content,
            []);

    /// <summary>A fresh header: a new id, this kernel's session, the time now.</summary>
    public static JsonObject NewHeader(string messageType, string session) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString("N"),
        ["session"] = session,
        ["username"] = "kernel",
        ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        ["msg_type"] = messageType,
        ["version"] = ProtocolVersion,
    };

    /// <summary>A string field of the content, or <paramref name="fallback"/> when it is missing or not a string.</summary>
    public string Text(string name, string fallback = "") =>
        Content[name] is JsonValue value && value.TryGetValue(out string? text) ? text : fallback;

    /// <summary>A boolean field of the content, or <paramref name="fallback"/>.</summary>
    public bool Flag(string name, bool fallback) =>
        Content[name] is JsonValue value && value.TryGetValue(out bool flag) ? flag : fallback;

    /// <summary>An integer field of the content, or <paramref name="fallback"/>.</summary>
    public int Number(string name, int fallback = 0) =>
        Content[name] is JsonValue value && value.TryGetValue(out int number) ? number : fallback;
}
