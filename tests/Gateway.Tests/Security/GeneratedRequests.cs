using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Security;

/// <summary>One generated HTTP request, printable so that a failure shows exactly what was sent.</summary>
internal sealed record GeneratedRequest(string Kind, HttpMethod Method, Uri Uri, string? Body, string? Token, string? Workspace, string Accept)
{
    public HttpRequestMessage Build()
    {
        var request = new HttpRequestMessage(Method, Uri);
        if (Body is not null)
        {
            request.Content = new StringContent(Body, Encoding.UTF8, "application/json");
        }

        if (Token is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Auth-Token", Token);
        }

        if (Workspace is not null)
        {
            request.Headers.TryAddWithoutValidation("workspace", Workspace);
        }

        request.Headers.Accept.ParseAdd(Accept);
        return request;
    }

    public override string ToString() =>
        $"{Kind}: {Method} {Uri} (token: {Token ?? "none"}, workspace: {Workspace ?? "none"}, accept: {Accept}){(Body is null ? "" : "\n    body: " + Body)}";
}

/// <summary>Generated operations sent the ways clients send them: GET, POST, and POST batches, with or without credentials.</summary>
internal sealed class GeneratedRequests(Random random, GeneratedDocuments documents, Uri endpoint)
{
    // Kestrel refuses request lines over 8 KB before the gateway sees them; longer GETs go as POST.
    private const int MaxGetLength = 6_000;

    public GeneratedRequest Next(int index)
    {
        // Mostly a real caller, as the data fields need one.
        var token = random.Next(40) switch
        {
            0 => null,
            1 => "",
            _ => GraphQLClient.DefaultToken,
        };
        var workspace = random.Chance(0.03) ? null : GraphQLClient.DefaultWorkspace;
        var accept = random.Chance(0.2) ? "application/json" : "application/graphql-response+json";
        var kind = random.Next(20);
        if (kind < 4)
        {
            var batch = new JsonArray([.. Enumerable.Range(0, random.Next(2, 5)).Select(i => Json(documents.Next(index * 10 + i)))]);
            return new GeneratedRequest("batch", HttpMethod.Post, endpoint, batch.ToJsonString(), token, workspace, accept);
        }

        var operation = documents.Next(index);
        if (kind < 11)
        {
            var query = new StringBuilder("?query=").Append(Uri.EscapeDataString(operation.Query));
            if (operation.Variables is { } variables)
            {
                query.Append("&variables=").Append(Uri.EscapeDataString(variables.ToJsonString()));
            }

            if (operation.OperationName is { } name)
            {
                query.Append("&operationName=").Append(Uri.EscapeDataString(name));
            }

            if (query.Length <= MaxGetLength)
            {
                return new GeneratedRequest("get", HttpMethod.Get, new Uri(endpoint + query.ToString()), null, token, workspace, accept);
            }
        }

        return new GeneratedRequest("post", HttpMethod.Post, endpoint, Json(operation).ToJsonString(), token, workspace, accept);
    }

    private static JsonObject Json(GeneratedOperation operation) => new()
    {
        ["query"] = operation.Query,
        ["variables"] = operation.Variables,
        ["operationName"] = operation.OperationName,
    };
}
