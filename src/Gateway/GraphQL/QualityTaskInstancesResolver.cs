using System.Text.RegularExpressions;
using Gateway.Caching;
using Gateway.GraphQL.Types;
using Gateway.Paging;
using Gateway.Upstream;
using GraphQL;
using Microsoft.Extensions.Options;

namespace Gateway.GraphQL;

/// <summary>
/// qualityTaskInstances: validated arguments -> window -> aligned blocks (cached, fetched
/// concurrently, from one version of the list) -> cursors re-anchored on their item if the
/// list moved -> the window cut out of the blocks as a connection.
/// </summary>
public sealed partial class QualityTaskInstancesResolver(
    InstanceBlockCache cache,
    CursorCodec cursors,
    IOptions<PagingOptions> paging,
    IOptions<UpstreamOptions> upstream)
{
    private const int MaxNameLength = 256;
    private const int BlockSize = QualityInstancesClient.BlockSize;

    // Enough to re-fetch stale blocks and re-anchor a cursor twice; a list that keeps moving
    // faster than that is reported rather than chased.
    private const int MaxRounds = 4;

    public async Task<InstanceConnection> ResolveAsync(IResolveFieldContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userContext = (GatewayUserContext)context.UserContext;
        var credentials = userContext.RequireCredentials();
        var scope = new InstanceListScope(ProjectId(context.GetArgument<string?>("projectId")), Filter(context.GetArgument<InstanceFilter?>("where")));
        int? first = context.GetArgument<int?>("first"), last = context.GetArgument<int?>("last");
        var after = DecodeCursor(context.GetArgument<string?>("after"), "after", scope);
        var before = DecodeCursor(context.GetArgument<string?>("before"), "before", scope);
        var field = context.FieldAst.Alias?.Name.StringValue ?? context.FieldDefinition.Name;
        var blocks = new BlockSet(cache, credentials, scope, userContext.Cache, field, context.CancellationToken);

        // Each round either settles the page or learns something (a newer version of the list,
        // where a cursor's item moved to) that changes which blocks the page needs.
        for (var round = 0; ; round++)
        {
            var query = PageQuery.Create(first, after, last, before, paging.Value.DefaultPageSize, paging.Value.MaxPageSize);

            // "last" without "before" counts back from the end: block 0 carries the total, and
            // it is the block most likely to be cached already.
            var total = query.NeedsTotal ? (await blocks.GetAsync(0)).Count : (int?)null;
            var window = query.Window(total);
            var range = BlockPlanner.BlocksFor(window, BlockSize);
            await blocks.EnsureAsync(Enumerable.Range(range.First, range.Count).Concat(AnchorBlocks(after, before)));

            if (round < MaxRounds && await blocks.RefreshStaleAsync())
            {
                continue;
            }

            if (Moved(after, blocks) || Moved(before, blocks))
            {
                if (round >= MaxRounds)
                {
                    throw StaleCursor();
                }

                await blocks.EnsureAsync(NeighbourBlocks(after, before));
                if (await blocks.RefreshStaleAsync())
                {
                    continue;
                }

                after = Relocate(after, blocks);
                before = Relocate(before, blocks);
                continue;
            }

            // A reused response must not outlive the freshest-expiring block it was cut from.
            if (userContext.Freshness is { } freshness)
            {
                foreach (var block in blocks.Blocks.Values)
                {
                    freshness.Observe(cache.FreshUntil(block));
                }
            }

            var slice = BlockPlanner.Slice(window, range, [.. Enumerable.Range(range.First, range.Count).Select(index => blocks.Blocks[index].Items)], blocks.Total, BlockSize);
            return new InstanceConnection(slice, scope.Fingerprint);
        }
    }

    private static IEnumerable<int> AnchorBlocks(Cursor? after, Cursor? before) =>
        new[] { after, before }.Where(cursor => cursor is not null).Select(cursor => cursor!.Value.Offset / BlockSize);

    private static IEnumerable<int> NeighbourBlocks(Cursor? after, Cursor? before) =>
        AnchorBlocks(after, before).SelectMany(index => new[] { index - 1, index, index + 1 });

    /// <summary>True when the cursor's item is no longer at the cursor's position.</summary>
    private static bool Moved(Cursor? cursor, BlockSet blocks)
    {
        if (cursor is not { } c)
        {
            return false;
        }

        return !blocks.Blocks.TryGetValue(c.Offset / BlockSize, out var block)
            || c.Offset % BlockSize >= block.Items.Count
            || block.Items[c.Offset % BlockSize].Id != c.ItemId;
    }

    /// <summary>The cursor moved to where its item is now, or STALE_CURSOR when it is not within reach.</summary>
    private static Cursor? Relocate(Cursor? cursor, BlockSet blocks)
    {
        if (cursor is not { } c || !Moved(c, blocks))
        {
            return cursor;
        }

        return SnapshotRules.Relocate(c.ItemId, c.Offset, blocks.Items(), item => item.Id, BlockSize) is { } position
            ? c with { Offset = position }
            : throw StaleCursor();
    }

    private static GatewayError StaleCursor() => new(
        ErrorCodes.StaleCursor,
        "The list has changed so much since this cursor was issued that its item is no longer near where it was (or is gone). Start again from the first page.");

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
