using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Gateway.Paging;

/// <summary>
/// Opaque, authenticated cursors: version | offset | query fingerprint | item id | MAC, as
/// base64url. The MAC means a client cannot fabricate an offset or move a cursor to another
/// query; any cursor this codec did not write fails to decode.
/// </summary>
public sealed class CursorCodec
{
    private const byte Version = 1;
    private const int PayloadLength = 1 + sizeof(int) + sizeof(ulong) + sizeof(long);
    private const int MacLength = 12;
    private const int CursorLength = PayloadLength + MacLength;

    /// <summary>Base64url of 33 bytes; any other length is not ours.</summary>
    private static readonly int EncodedLength = Base64Url.GetEncodedLength(CursorLength);

    private readonly byte[] _key;

    public CursorCodec(ReadOnlySpan<byte> key)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException("A cursor key needs at least 16 bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    public string Encode(Cursor cursor)
    {
        Span<byte> bytes = stackalloc byte[CursorLength];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(bytes[1..], cursor.Offset);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[5..], cursor.QueryFingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[13..], cursor.ItemId);
        Sign(bytes[..PayloadLength], bytes[PayloadLength..]);
        return Base64Url.EncodeToString(bytes);
    }

    public bool TryDecode(string? text, out Cursor cursor)
    {
        cursor = default;
        // Base64Url.TryDecodeFromChars throws on characters outside its alphabet, so they are
        // ruled out first: a cursor is client input, and garbage must be a clean "no".
        if (text is null || text.Length != EncodedLength || !IsBase64UrlAlphabet(text))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[CursorLength];
        if (!Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != CursorLength || bytes[0] != Version)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        Sign(bytes[..PayloadLength], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[PayloadLength..]))
        {
            return false;
        }

        var offset = BinaryPrimitives.ReadInt32LittleEndian(bytes[1..]);
        if (offset < 0)
        {
            return false;
        }

        cursor = new Cursor(offset, BinaryPrimitives.ReadUInt64LittleEndian(bytes[5..]), BinaryPrimitives.ReadInt64LittleEndian(bytes[13..]));
        return true;
    }

    private static bool IsBase64UrlAlphabet(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private void Sign(ReadOnlySpan<byte> payload, Span<byte> mac)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, payload, full);
        full[..mac.Length].CopyTo(mac);
    }
}
