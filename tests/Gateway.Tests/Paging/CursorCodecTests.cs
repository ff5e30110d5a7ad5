using Gateway.Paging;

namespace Gateway.Tests.Paging;

public sealed class CursorCodecTests
{
    private static readonly CursorCodec Codec = new("0123456789abcdef0123456789abcdef"u8);

    [Theory]
    [InlineData(0, 0UL, 0L)]
    [InlineData(99, 0xDEADBEEFCAFEF00DUL, 1012386207306600417L)]
    [InlineData(int.MaxValue, ulong.MaxValue, long.MinValue)]
    public void Round_trips_offset_fingerprint_and_id(int offset, ulong fingerprint, long id)
    {
        var cursor = new Cursor(offset, fingerprint, id);

        Assert.True(Codec.TryDecode(Codec.Encode(cursor), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Fact]
    public void After_a_key_change_new_cursors_use_the_new_key_and_old_ones_still_decode()
    {
        var codec = new CursorCodec("a-process-own-key-of-32-bytes..."u8);
        var before = codec.Encode(new Cursor(10, 1, 2));

        codec.UseKey("the-key-the-replicas-share-now.."u8);
        var after = codec.Encode(new Cursor(10, 1, 2));
        var peer = new CursorCodec("the-key-the-replicas-share-now.."u8);

        Assert.True(codec.TryDecode(before, out _));
        Assert.True(peer.TryDecode(after, out _));
        Assert.False(peer.TryDecode(before, out _));
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void A_key_retired_three_changes_ago_no_longer_decodes()
    {
        var codec = new CursorCodec("key-number-zero-of-sixteen-bytes"u8);
        var oldest = codec.Encode(new Cursor(1, 1, 1));
        codec.UseKey("key-number-one-of-sixteen-bytes."u8);
        codec.UseKey("key-number-two-of-sixteen-bytes."u8);
        Assert.True(codec.TryDecode(oldest, out _));

        codec.UseKey("key-number-three-of-sixteen-byte"u8);
        Assert.False(codec.TryDecode(oldest, out _));
    }

    [Fact]
    public void Is_url_safe_and_opaque()
    {
        var text = Codec.Encode(new Cursor(42, 7, 1012386207306600417));

        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.DoesNotContain("1012386207306600417", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_every_single_byte_change()
    {
        var text = Codec.Encode(new Cursor(42, 7, 9));
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (var i = 0; i < text.Length; i++)
        {
            var replacement = alphabet[(alphabet.IndexOf(text[i], StringComparison.Ordinal) + 1) % alphabet.Length];
            var tampered = string.Concat(text.AsSpan(0, i), replacement.ToString(), text.AsSpan(i + 1));
            Assert.False(Codec.TryDecode(tampered, out _), $"accepted a change at {i}");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("not a cursor at all, clearly not base64 !!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+/")]
    [InlineData("////////////////////////////////////////////")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA é")]
    public void Rejects_garbage(string? text) => Assert.False(Codec.TryDecode(text, out _));

    [Fact]
    public void Rejects_a_cursor_signed_with_another_key()
    {
        var other = new CursorCodec("another-key-another-key-another!"u8);

        Assert.False(Codec.TryDecode(other.Encode(new Cursor(1, 2, 3)), out _));
    }

    [Fact]
    public void Rejects_a_truncated_or_extended_cursor()
    {
        var text = Codec.Encode(new Cursor(1, 2, 3));

        Assert.False(Codec.TryDecode(text[..^1], out _));
        Assert.False(Codec.TryDecode(text + "A", out _));
    }

    [Fact]
    public void Refuses_a_short_key() => Assert.Throws<ArgumentException>(() => new CursorCodec("short"u8));
}
