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
/// concurrently) -> the window cut out of them as a connection.
/// </summary>
public sealed partial class QualityTaskInstancesResolver(
    InstanceBlockCache blocks,
    CursorCodec cursors,
    IOptions<PagingOptions> paging,
    IOptions<UpstreamOptions> upstream)
{
    private const int MaxNameLength = 256;
    private const int BlockSize = QualityInstancesClient.BlockSize;

    public async Task<InstanceConnection> ResolveAsync(IResolveFieldContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userContext = (GatewayUserContext)context.UserContext;
        var credentials = userContext.RequireCredentials();
        var scope = new InstanceListScope(ProjectId(context.GetArgument<string?>("projectId")), Filter(context.GetArgument<InstanceFilter?>("where")));
        var query = PageQuery.Create(
            context.GetArgument<int?>("first"),
            DecodeCursor(context.GetArgument<string?>("after"), "after", scope),
            context.GetArgument<int?>("last"),
            DecodeCursor(context.GetArgument<string?>("before"), "before", scope),
            paging.Value.DefaultPageSize,
            paging.Value.MaxPageSize);

        var callerScope = credentials.CallerKey;
        var cancellationToken = context.CancellationToken;
        var field = context.FieldAst.Alias?.Name.StringValue ?? context.FieldDefinition.Name;
        ValueTask<InstanceBlock> Block(int index) => blocks.GetBlockAsync(credentials, callerScope, scope, index, userContext.Cache, field, cancellationToken);

        // "last" without "before" counts back from the end: block 0 carries the total, and it
        // is the block most likely to be cached already.
        InstanceBlock? head = null;
        if (query.NeedsTotal)
        {
            head = await Block(0);
        }

        var window = query.Window(head?.Count);
        var range = BlockPlanner.BlocksFor(window, BlockSize);
        var fetched = new InstanceBlock[range.Count];
        if (range.Count == 1)
        {
            fetched[0] = range.First == 0 && head is not null ? head : await Block(range.First);
        }
        else
        {
            var pending = new Task<InstanceBlock>[range.Count];
            for (var i = 0; i < pending.Length; i++)
            {
                var index = range.First + i;
                pending[i] = index == 0 && head is not null ? Task.FromResult(head) : Block(index).AsTask();
            }

            fetched = await Task.WhenAll(pending);
        }

        if (userContext.Freshness is { } freshness)
        {
            foreach (var block in fetched)
            {
                freshness.Observe(blocks.FreshUntil(block));
            }

            if (head is not null)
            {
                freshness.Observe(blocks.FreshUntil(head));
            }
        }

        var total = head?.Count ?? fetched[0].Count;
        var slice = BlockPlanner.Slice(window, range, Array.ConvertAll(fetched, block => block.Items), total, BlockSize);
        return new InstanceConnection(slice, scope.Fingerprint);
    }

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
