using System.Collections;
using GraphQL.Federation.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;

namespace Gateway.GraphQL;

/// <summary>
/// Reads <c>_entities</c> representations one by one. GraphQL.NET's federation parses them all
/// while validating the request and throws on the first one it cannot place (not an object,
/// no <c>__typename</c>, a type that is not an entity of this subgraph), which rejected the
/// whole request. Here such a representation becomes a null entity with BAD_USER_INPUT at its
/// own path, and the rest of the batch resolves, as for a malformed or unknown id.
/// </summary>
public sealed class EntityRepresentations : BaseSchemaNodeVisitor
{
    private const string TypenameKey = "__typename";

    /// <summary>Runs after federation's own visitor, which adds <c>_entities</c> in its PostVisitSchema.</summary>
    public override void PostVisitSchema(ISchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);

        // Failing at start-up beats quietly keeping the all-or-nothing parser: the visitor
        // must be registered after AddFederation.
        var argument = schema.Query.GetField("_entities")?.Arguments?.Find("representations")
            ?? throw new InvalidOperationException("_entities(representations:) is not in the schema: register EntityRepresentations after AddFederation.");
        var entityTypes = (schema.AllTypes["_Entity"] as UnionGraphType)?.PossibleTypes.Select(type => type.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        argument.Parser = value => Parse(schema, entityTypes, (IList)value);
    }

    private static List<Representation> Parse(ISchema schema, HashSet<string> entityTypes, IList representations)
    {
        var parsed = new List<Representation>(representations.Count);
        foreach (var representation in representations)
        {
            parsed.Add(ParseOne(schema, entityTypes, representation));
        }

        return parsed;
    }

    private static Representation ParseOne(ISchema schema, HashSet<string> entityTypes, object? representation)
    {
        // The message names the types this subgraph resolves, never echoes what was sent.
        if (representation is not IDictionary<string, object?> fields
            || !fields.TryGetValue(TypenameKey, out var typename) || typename is not string { Length: > 0 } name || !entityTypes.Contains(name))
        {
            return Rejected(schema, $"A representation must be an object whose '__typename' names an entity type of this subgraph ({string.Join(", ", entityTypes.Order(StringComparer.Ordinal))}), with that type's key fields.");
        }

        // A known entity type: the library picks its resolver and parses the keys, as before.
        try
        {
            return EntityResolver.Instance.ConvertRepresentations(schema, new[] { representation }).Single();
        }
        catch (InvalidOperationException)
        {
            return Rejected(schema, $"This {name} representation could not be read; send its key fields as this subgraph's SDL declares them.");
        }
    }

    // The graph type is required by Representation but never read by the rejecting resolver.
    private static Representation Rejected(ISchema schema, string message) => new(schema.Query, new RejectedRepresentation(message), message);

    /// <summary>Resolves a representation that could not be read to its error, at its own path.</summary>
    private sealed class RejectedRepresentation(string message) : IFederationResolver
    {
        public bool MatchKeys(IDictionary<string, object?> representation) => false;

        public object ParseRepresentation(IComplexGraphType graphType, IDictionary<string, object?> representation) => message;

        // Credentials first, as for every other representation: a request without them
        // gets the same answer whatever it sent.
        public ValueTask<object?> ResolveAsync(global::GraphQL.IResolveFieldContext context, IComplexGraphType graphType, object parsedRepresentation)
        {
            ArgumentNullException.ThrowIfNull(context);
            ((GatewayUserContext)context.UserContext).RequireCredentials();
            return ValueTask.FromException<object?>(new GatewayError(ErrorCodes.BadUserInput, message));
        }
    }
}
