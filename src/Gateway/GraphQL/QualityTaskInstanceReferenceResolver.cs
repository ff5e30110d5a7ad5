using System.Globalization;
using System.Numerics;
using Gateway.Caching;
using GraphQL;
using GraphQL.Federation.Resolvers;
using GraphQL.Types;

namespace Gateway.GraphQL;

/// <summary>
/// Resolves <c>QualityTaskInstance</c> representations for federation's <c>_entities</c>.
/// The upstream has no get-by-id call, so a representation resolves only to an instance the
/// same caller (token and workspace) has already been shown through qualityTaskInstances and
/// that is still cached; anything else is null with ENTITY_NOT_FOUND. Each representation
/// fails on its own: one bad id does not cost the others.
/// </summary>
public sealed class QualityTaskInstanceReferenceResolver(InstanceEntityCache entities) : IFederationResolver
{
    private const string KeyField = "id";

    // The only key is "id"; a representation without it is answered per entity below, not by
    // failing the whole request in validation.
    /// <inheritdoc />
    public bool MatchKeys(IDictionary<string, object?> representation) => true;

    // Runs during validation, where an exception would reject every representation of the
    // request: a malformed id is therefore kept as "no id" and reported by ResolveAsync.
    /// <inheritdoc />
    public object ParseRepresentation(IComplexGraphType graphType, IDictionary<string, object?> representation)
    {
        ArgumentNullException.ThrowIfNull(representation);
        return new InstanceReference(representation.TryGetValue(KeyField, out var value) ? ParseId(value) : null);
    }

    /// <inheritdoc />
    public async ValueTask<object?> ResolveAsync(IResolveFieldContext context, IComplexGraphType graphType, object parsedRepresentation)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userContext = (GatewayUserContext)context.UserContext;

        // Entity entries carry no fetch time: a response that resolved entities is not reused.
        userContext.Freshness?.MarkNotReusable();
        var credentials = userContext.RequireCredentials();
        if (parsedRepresentation is not InstanceReference { Id: { } id })
        {
            throw new GatewayError(ErrorCodes.BadUserInput, "A QualityTaskInstance representation needs an 'id' that is a decimal 64-bit integer, as qualityTaskInstances returns it.");
        }

        return await entities.FindAsync(credentials.CallerKey, id, context.CancellationToken)
            ?? throw new GatewayError(
                ErrorCodes.EntityNotFound,
                string.Create(CultureInfo.InvariantCulture, $"QualityTaskInstance {id} is unknown to this caller. The upstream has no lookup by id: only instances this caller (same token and workspace) has received from qualityTaskInstances resolve, for as long as they stay cached (Cache:Ttl). Query it through qualityTaskInstances first."));
    }

    // The router sends the id as this subgraph served it, a decimal string; an integral JSON
    // number is accepted too. Anything else (fractions, text, values beyond 64 bits) is malformed.
    private static long? ParseId(object? value) => value switch
    {
        string text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) => id,
        int number => number,
        long number => number,
        BigInteger number when number >= long.MinValue && number <= long.MaxValue => (long)number,
        _ => null,
    };

    /// <summary>A parsed representation: the instance id, or null when it was missing or malformed.</summary>
    private sealed record InstanceReference(long? Id);
}
