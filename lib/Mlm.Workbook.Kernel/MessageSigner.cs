using System.Security.Cryptography;
using System.Text;

namespace Mlm.Workbook.Kernel;

/// <summary>
/// Signs and checks messages with the connection file's key: an HMAC over the header, parent header, metadata and
/// content frames, as a lower-case hex digest. An empty key means no signing (the signature frame is empty).
/// </summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;
    private readonly HashAlgorithmName _algorithm;

    /// <summary>A signer for a key and a <c>signature_scheme</c> such as <c>hmac-sha256</c>.</summary>
    /// <exception cref="FormatException">The scheme is not an HMAC this kernel knows.</exception>
    public MessageSigner(string key, string signatureScheme = "hmac-sha256")
    {
        _key = Encoding.UTF8.GetBytes(key);
        _algorithm = signatureScheme.ToLowerInvariant() switch
        {
            "hmac-sha256" => HashAlgorithmName.SHA256,
            "hmac-sha384" => HashAlgorithmName.SHA384,
            "hmac-sha512" => HashAlgorithmName.SHA512,
            "hmac-sha1" => HashAlgorithmName.SHA1,
            "hmac-md5" => HashAlgorithmName.MD5,
            _ => _key.Length == 0 ? HashAlgorithmName.SHA256
                 : throw new FormatException($"Unknown signature_scheme \"{signatureScheme}\" (expected hmac-sha256 or another hmac-<hash>)."),
        };
    }

    /// <summary>Whether messages are signed at all (a non-empty key).</summary>
    public bool Signs => _key.Length > 0;

    /// <summary>The signature of the four signed frames; empty when there is no key.</summary>
    public string Sign(ReadOnlySpan<byte[]> frames)
    {
        if (!Signs) return "";
        using var hmac = IncrementalHash.CreateHMAC(_algorithm, _key);
        foreach (var frame in frames) hmac.AppendData(frame);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>Whether <paramref name="signature"/> is right for the frames, compared in constant time.</summary>
    public bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte[]> frames)
    {
        if (!Signs) return true;
        var expected = Encoding.ASCII.GetBytes(Sign(frames));
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }
}
