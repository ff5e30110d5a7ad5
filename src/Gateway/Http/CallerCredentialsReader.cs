using Gateway.GraphQL;
using Gateway.Upstream;
using Microsoft.Extensions.Primitives;

namespace Gateway.Http;

/// <summary>
/// Reads the caller's token (X-Auth-Token, or Authorization: Bearer) and workspace header.
/// Values are checked, never echoed: an error names the header, not its content.
/// </summary>
public static class CallerCredentialsReader
{
    /// <summary>The header carrying the caller's IAM token, forwarded to the upstream as it is.</summary>
    public const string TokenHeader = "X-Auth-Token";
    /// <summary>The header carrying the DataArts Studio workspace id, forwarded to the upstream's <c>workspace</c> header.</summary>
    public const string WorkspaceHeader = "workspace";

    // IAM tokens are several kilobytes; anything far beyond that is not a token.
    private const int MaxTokenLength = 16 * 1024;
    private const int MaxWorkspaceLength = 128;

    /// <summary>The request's credentials, or the error a field that needs them will raise: UNAUTHENTICATED without a token, BAD_USER_INPUT without a workspace or for a malformed value. Reading never fails the request itself, so introspection works without credentials.</summary>
    public static GatewayUserContext Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = ReadToken(request.Headers, out var tokenProblem);
        if (tokenProblem is not null)
        {
            return GatewayUserContext.WithoutCredentials(tokenProblem);
        }

        var workspace = ReadSingle(request.Headers[WorkspaceHeader], WorkspaceHeader, MaxWorkspaceLength, out var workspaceProblem);
        if (workspaceProblem is not null)
        {
            return GatewayUserContext.WithoutCredentials(workspaceProblem);
        }

        if (token is null)
        {
            return GatewayUserContext.WithoutCredentials(new GatewayError(ErrorCodes.Unauthenticated, $"Send the caller's IAM token in the {TokenHeader} header (or as Authorization: Bearer)."));
        }

        if (workspace is null)
        {
            return GatewayUserContext.WithoutCredentials(new GatewayError(ErrorCodes.BadUserInput, $"Send the DataArts Studio workspace id in the '{WorkspaceHeader}' header."));
        }

        return GatewayUserContext.WithCredentials(new UpstreamCredentials(token, workspace));
    }

    private static string? ReadToken(IHeaderDictionary headers, out GatewayError? problem)
    {
        var token = ReadSingle(headers[TokenHeader], TokenHeader, MaxTokenLength, out problem);
        if (token is not null || problem is not null)
        {
            return token;
        }

        var authorization = ReadSingle(headers.Authorization, "Authorization", MaxTokenLength + 7, out problem);
        if (authorization is null || problem is not null)
        {
            return null;
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.Length == 7)
        {
            problem = new GatewayError(ErrorCodes.Unauthenticated, "The Authorization header must be 'Bearer <IAM token>'.");
            return null;
        }

        return authorization[7..];
    }

    private static string? ReadSingle(StringValues values, string header, int maxLength, out GatewayError? problem)
    {
        problem = null;
        if (values.Count == 0 || (values.Count == 1 && string.IsNullOrEmpty(values[0])))
        {
            return null;
        }

        var code = header == WorkspaceHeader ? ErrorCodes.BadUserInput : ErrorCodes.Unauthenticated;
        if (values.Count > 1)
        {
            problem = new GatewayError(code, $"The '{header}' header was sent more than once.");
            return null;
        }

        var value = values[0]!;
        if (value.Length > maxLength)
        {
            problem = new GatewayError(code, $"The '{header}' header is longer than {maxLength} characters.");
            return null;
        }

        if (!IsVisibleAscii(value, allowSpace: header == "Authorization"))
        {
            // Spaces are the usual culprit: a placeholder such as "<IAM token>" pasted as is.
            problem = new GatewayError(code, $"The '{header}' header may hold only visible ASCII characters (no spaces or control characters); paste the value itself.");
            return null;
        }

        return value;
    }

    // Upstream header values are forwarded verbatim, so nothing that could split or fold a
    // header (CR, LF, other controls) or smuggle non-ASCII bytes is accepted.
    private static bool IsVisibleAscii(string value, bool allowSpace)
    {
        foreach (var c in value)
        {
            if (c is < '!' or > '~' && !(allowSpace && c == ' '))
            {
                return false;
            }
        }

        return true;
    }
}
