using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.Upstream;

namespace Gateway.Caching;

/// <summary>
/// Cache keys for upstream blocks and the instances seen in them. The caller is represented by a SHA-256 of token and
/// workspace: callers never share entries, and the token itself is never written anywhere.
/// </summary>
public static class CacheKeys
{
    /// <summary>Bumped whenever the cached value's shape or meaning changes, so old entries are ignored.</summary>
    public const string Version = "qg1";

    public static string CallerScope(UpstreamCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);

        // Length-prefixed so that no token/workspace pair can collide with another by shifting
        // characters across the boundary.
        var text = string.Create(CultureInfo.InvariantCulture, $"{credentials.Token.Length}:{credentials.Token}|{credentials.Workspace}");
        var bytes = Encoding.UTF8.GetBytes(text);
        try
        {
            return Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public static string Block(string callerScope, InstanceListScope scope, int blockSize, int blockIndex)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return string.Create(CultureInfo.InvariantCulture, $"{Version}:blk:{callerScope}:{scope.ProjectId}:{scope.FingerprintHex}:{blockSize}:{blockIndex}");
    }

    /// <summary>
    /// One instance as this caller has seen it in a block: the upstream cannot look an instance
    /// up by id, so entity resolution can only ever return what the same caller was shown.
    /// </summary>
    public static string Entity(string callerScope, long instanceId) =>
        string.Create(CultureInfo.InvariantCulture, $"{Version}:ent:{callerScope}:{instanceId}");
}
