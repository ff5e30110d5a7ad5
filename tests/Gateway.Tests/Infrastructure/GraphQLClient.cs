using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Infrastructure;

/// <summary>A plain HTTP client for the gateway, as a browser or script would use it.</summary>
public sealed class GraphQLClient(Uri endpoint, string? token = GraphQLClient.DefaultToken, string? workspace = GraphQLClient.DefaultWorkspace) : IDisposable
{
    public const string DefaultToken = "token-alice-0123456789";
    public const string DefaultWorkspace = "ws-alpha";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public Uri Endpoint => endpoint;

    public async Task<GraphQLResponse> PostAsync(string query, object? variables = null, Action<HttpRequestMessage>? configure = null)
    {
        var body = JsonSerializer.Serialize(new { query, variables });
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return await SendAsync(request, configure);
    }

    public async Task<GraphQLResponse> SendAsync(HttpRequestMessage request, Action<HttpRequestMessage>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Auth-Token", token);
        }

        if (workspace is not null)
        {
            request.Headers.TryAddWithoutValidation("workspace", workspace);
        }

        if (!request.Headers.Accept.Any())
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        }

        configure?.Invoke(request);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new GraphQLResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
    }

    public void Dispose() => _http.Dispose();
}

public sealed record GraphQLResponse(HttpStatusCode Status, string? MediaType, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("Empty response body.");

    public JsonArray? Errors => Json["errors"] as JsonArray;

    /// <summary>The codes of all errors, in order.</summary>
    public IReadOnlyList<string?> ErrorCodes => Errors?.Select(error => error?["extensions"]?["code"]?.GetValue<string>()).ToList() ?? [];

    public JsonNode Data => Json["data"] ?? throw new InvalidOperationException($"No data in: {Body}");

    public override string ToString() => $"{(int)Status} {Body}";
}
