using Microsoft.Net.Http.Headers;

namespace Gateway.Http;

/// <summary>Accept negotiation as the GraphQL-over-HTTP spec describes it.</summary>
public static class MediaTypes
{
    /// <summary>application/graphql-response+json: the spec's current default, whose answers carry real HTTP statuses (400 for an invalid document).</summary>
    public const string GraphQLResponse = "application/graphql-response+json";
    /// <summary>application/json: the legacy media type; answers are 200 with the errors in the body, unless an error prefers another status (<see cref="IHasPreferredStatusCode"/>).</summary>
    public const string Json = "application/json";

    private const string JsonContentType = Json + "; charset=utf-8";
    private const string GraphQLResponseContentType = GraphQLResponse + "; charset=utf-8";

    /// <summary>
    /// The response media type for this Accept header, or null when the client accepts neither
    /// (406). No Accept header means the spec's current default, graphql-response+json.
    /// </summary>
    public static string? Negotiate(IList<MediaTypeHeaderValue> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        if (accept.Count == 0)
        {
            return GraphQLResponse;
        }

        string? best = null;
        double bestQuality = 0;
        foreach (var value in accept)
        {
            var quality = value.Quality ?? 1;
            var candidate = value.MediaType.Value switch
            {
                GraphQLResponse or "*/*" or "application/*" => GraphQLResponse,
                Json => Json,
                _ => null,
            };

            // Ties go to graphql-response+json, which carries real status codes.
            if (candidate is not null && quality > 0 && (quality > bestQuality || (quality == bestQuality && candidate == GraphQLResponse)))
            {
                best = candidate;
                bestQuality = quality;
            }
        }

        return best;
    }

    /// <summary>The Content-Type header for a negotiated media type; one string each instead of a concatenation per response.</summary>
    public static string ContentType(string mediaType) => mediaType == Json ? JsonContentType : GraphQLResponseContentType;

    /// <summary>True when the Accept header lists text/html: a browser, which gets the IDE rather than a GraphQL answer.</summary>
    public static bool PrefersHtml(IList<MediaTypeHeaderValue> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        return accept.Any(value => value.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }
}
