using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Gateway.Paging;

/// <summary>
/// Opaque, authenticated cursors: version | offset | query fingerprint | item id | MAC, as
/// base64url. The MAC means a client cannot fabricate an offset or move a cursor to another
/// query; any cursor this codec did not write fails to decode.
/// </summary>
/// <remarks>
/// The signing key can change while the process runs (a replica adopting the key its peers
/// share through Redis); cursors signed with the keys it replaced still decode, so no client
/// holding one is cut off by the switch.
/// </remarks>
public sealed class CursorCodec
{
    private const byte Version = 1;
    private const int PayloadLength = 1 + sizeof(int) + sizeof(ulong) + sizeof(long);
    private const int MacLength = 12;
    private const int CursorLength = PayloadLength + MacLength;

    /// <summary>Base64url of 33 bytes; any other length is not ours.</summary>
    private static readonly int EncodedLength = Base64Url.GetEncodedLength(CursorLength);

    /// <summary>How many replaced keys still verify.</summary>
    private const int RetiredKeys = 2;

    // [0] signs; every entry verifies. Replaced as a whole, so readers never see a half-made ring.
    private byte[][] _keys;

    /// <summary>A codec that signs with <paramref name="key"/> (HMAC-SHA256, truncated to 12 bytes).</summary>
    /// <param name="key">At least 16 bytes; copied.</param>
    /// <exception cref="ArgumentException">The key is shorter than 16 bytes.</exception>
    public CursorCodec(ReadOnlySpan<byte> key)
    {
        _keys = [Checked(key)];
    }

    /// <summary>Signs with <paramref name="key"/> from now on; cursors signed with the previous keys keep decoding.</summary>
    public void UseKey(ReadOnlySpan<byte> key)
    {
        var checkedKey = Checked(key);
        var current = Volatile.Read(ref _keys);
        if (!current[0].AsSpan().SequenceEqual(checkedKey))
        {
            Volatile.Write(ref _keys, [checkedKey, .. current.Take(RetiredKeys)]);
        }
    }

    /// <summary>The cursor as 44 base64url characters, signed with the current key.</summary>
    public string Encode(Cursor cursor)
    {
        Span<byte> bytes = stackalloc byte[CursorLength];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(bytes[1..], cursor.Offset);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[5..], cursor.QueryFingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[13..], cursor.ItemId);
        Sign(Volatile.Read(ref _keys)[0], bytes[..PayloadLength], bytes[PayloadLength..]);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Reads a cursor a client sent back; false for anything this codec (with its current or two retired keys) did not write, never an exception.</summary>
    /// <param name="text">The client's <c>after</c> or <c>before</c>, untrusted.</param>
    /// <param name="cursor">The decoded cursor when true; default otherwise.</param>
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

        if (!IsSigned(bytes[..PayloadLength], bytes[PayloadLength..]))
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

    private static byte[] Checked(ReadOnlySpan<byte> key) =>
        key.Length >= 16 ? key.ToArray() : throw new ArgumentException("A cursor key needs at least 16 bytes.", nameof(key));

    private static void Sign(byte[] key, ReadOnlySpan<byte> payload, Span<byte> mac)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, payload, full);
        full[..mac.Length].CopyTo(mac);
    }

    private bool IsSigned(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[MacLength];
        foreach (var key in Volatile.Read(ref _keys))
        {
            Sign(key, payload, expected);
            if (CryptographicOperations.FixedTimeEquals(expected, mac))
            {
                return true;
            }
        }

        return false;
    }
}
