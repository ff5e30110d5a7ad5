using System.Text.RegularExpressions;
using Gateway.Caching;
using Gateway.GraphQL.Types;
using Gateway.Paging;
using Gateway.Upstream;
using GraphQL;
using Microsoft.Extensions.Options;

namespace Gateway.GraphQL;

/// <summary>
/// qualityTaskInstances: the arguments validated (project, filter, cursors), the page assembled
/// from the caller's blocks (<see cref="PageAssembler"/>), and its outcome answered as a
/// connection or a coded error.
/// </summary>
public sealed partial class QualityTaskInstancesResolver(
    InstanceBlockCache cache,
    CursorCodec cursors,
    IOptions<PagingOptions> paging,
    IOptions<UpstreamOptions> upstream)
{
    private const int MaxNameLength = 256;

    /// <summary>Resolves one qualityTaskInstances field: its page, cut from blocks of one version of the list, and notes when the response's data goes stale.</summary>
    /// <param name="context">The field's arguments and the <see cref="GatewayUserContext"/>.</param>
    /// <exception cref="GatewayError">UNAUTHENTICATED, BAD_USER_INPUT, INVALID_CURSOR, PAGE_SIZE_EXCEEDED, STALE_CURSOR or LIST_CHANGING.</exception>
    /// <exception cref="Upstream.UpstreamException">A block could not be fetched.</exception>
    public async Task<InstanceConnection> ResolveAsync(IResolveFieldContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userContext = (GatewayUserContext)context.UserContext;
        var credentials = userContext.RequireCredentials();
        var scope = new InstanceListScope(ProjectId(context.GetArgument<string?>("projectId")), Filter(context.GetArgument<InstanceFilter?>("where")));
        var request = new PageRequest(
            context.GetArgument<int?>("first"),
            DecodeCursor(context.GetArgument<string?>("after"), "after", scope),
            context.GetArgument<int?>("last"),
            DecodeCursor(context.GetArgument<string?>("before"), "before", scope),
            paging.Value.DefaultPageSize,
            paging.Value.MaxPageSize);
        var field = context.FieldAst.Alias?.Name.StringValue ?? context.FieldDefinition.Name;
        var blocks = new BlockSet(new CachedBlockSource(cache, credentials, scope, userContext.Cache, field, context.CancellationToken));

        var page = await PageAssembler.AssembleAsync(blocks, request);
        if (page is not { Outcome: PageOutcome.Cut, Slice: { } slice })
        {
            throw page.Outcome == PageOutcome.CursorOutOfReach ? StaleCursor() : ListChanging();
        }

        // A reused response must not outlive the freshest-expiring block it was cut from.
        if (userContext.Freshness is { } freshness)
        {
            foreach (var block in page.Blocks)
            {
                freshness.Observe(cache.FreshUntil(block));
            }
        }

        return new InstanceConnection(slice, scope.Fingerprint);
    }

    private static GatewayError StaleCursor() => new(
        ErrorCodes.StaleCursor,
        "The list has changed so much since this cursor was issued that its item is no longer near where it was (or is gone). Start again from the first page.");

    private static GatewayError ListChanging() => new(
        ErrorCodes.ListChanging,
        "The list changed on every read of this page (new runs arriving faster than its blocks could be read together). Try again.");

    private string ProjectId(string? argument)
    {
        var projectId = string.IsNullOrEmpty(argument) ? upstream.Value.DefaultProjectId : argument;
        if (string.IsNullOrEmpty(projectId))
        {
            throw new GatewayError(ErrorCodes.BadUserInput, "Pass 'projectId': no default project is configured (Upstream:DefaultProjectId).");
        }

        // The project id becomes a path segment of the upstream URL: only the characters a
        // Huawei Cloud project id can contain are let through, so it can never alter the path.
        if (!ProjectIdPattern().IsMatch(projectId))
        {
            throw new GatewayError(ErrorCodes.BadUserInput, "'projectId' must be 1 to 64 letters, digits, '-' or '_'.");
        }

        return projectId;
    }

    private static InstanceFilter Filter(InstanceFilter? filter)
    {
        if (filter?.Name is { } name && (name.Length == 0 || name.Length > MaxNameLength))
        {
            throw new GatewayError(ErrorCodes.BadUserInput, $"'where.name.eq' must be 1 to {MaxNameLength} characters.");
        }

        return filter ?? InstanceFilter.None;
    }

    private Cursor? DecodeCursor(string? text, string argument, InstanceListScope scope)
    {
        if (text is null)
        {
            return null;
        }

        if (!cursors.TryDecode(text, out var cursor))
        {
            throw new GatewayError(ErrorCodes.InvalidCursor, $"'{argument}' is not a cursor this gateway issued.");
        }

        if (cursor.QueryFingerprint != scope.Fingerprint)
        {
            throw new GatewayError(ErrorCodes.InvalidCursor, $"'{argument}' belongs to a different query (project or filter changed).");
        }

        return cursor;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectIdPattern();
}
