namespace Gateway.Upstream;

/// <summary>
/// The caller's own credentials, forwarded to the upstream on every call. They exist to be
/// passed through, so they live with the upstream client; the HTTP layer fills them per request.
/// </summary>
public sealed record UpstreamCredentials(string Token, string Workspace)
{
    // Records print their members; a token must never reach a log line or an error message.
    public override string ToString() => $"UpstreamCredentials {{ Token = ***, Workspace = {Workspace} }}";
}
