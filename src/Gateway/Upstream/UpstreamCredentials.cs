using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Upstream;

/// <summary>
/// The caller's own credentials, forwarded to the upstream on every call. They exist to be
/// passed through, so they live with the upstream client; the HTTP layer fills them per request.
/// </summary>
public sealed record UpstreamCredentials(string Token, string Workspace)
{
    /// <summary>
    /// Who the caller is, without the token: SHA-256 (hex) of the length-prefixed token and the
    /// workspace. Cache keys and the request budget use it; no two token/workspace pairs share
    /// one, whatever characters they contain.
    /// </summary>
    public string CallerKey { get; } = Hash(Token, Workspace);

    // Records print their members; a token must never reach a log line or an error message.
    /// <summary>The workspace with the token masked as ***, so a logged or interpolated record never shows it.</summary>
    public override string ToString() => $"UpstreamCredentials {{ Token = ***, Workspace = {Workspace} }}";

    private static string Hash(string token, string workspace)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{token.Length}:{token}|{workspace}"));
        try
        {
            return Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
