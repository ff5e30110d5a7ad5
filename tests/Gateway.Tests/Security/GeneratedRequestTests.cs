using System.Globalization;
using System.Net;
using Gateway.Tests.Federation;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Security;

/// <summary>
/// Seeded random documents built from the served schema, valid and broken, over GET, POST and
/// batches: whatever they ask, the answer is never a 5xx or an internal error, and every error
/// carries a string code. The seed is fixed, so a run is repeatable; a failure prints the seed,
/// the request and the answer (GATEWAY_GENERATED_SEED runs another seed by hand).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class GeneratedRequestTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private const int DefaultSeed = 20261201;
    private const int RequestCount = 300;

    // What a GraphQL-over-HTTP answer may be here; anything else (404, 414, 5xx) is a failure.
    private static readonly HttpStatusCode[] Expected = [HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.MethodNotAllowed];

    [Fact]
    public async Task Generated_requests_never_get_a_5xx_or_an_internal_error_and_every_error_has_a_code()
    {
        var seed = Environment.GetEnvironmentVariable("GATEWAY_GENERATED_SEED") is { Length: > 0 } chosen ? int.Parse(chosen, CultureInfo.InvariantCulture) : DefaultSeed;
        using var client = fixture.Client();
        var schema = await SchemaModel.LoadAsync(client);
        var ids = (await FederationQueries.ListAsync(client, "gen-0", 5)).Select(node => node["id"]!.GetValue<string>()).ToList();
        var cursor = (await client.PostAsync("{ qualityTaskInstances(projectId: \"gen-0\", first: 3) { pageInfo { endCursor } } }"))
            .Data["qualityTaskInstances"]!["pageInfo"]!["endCursor"]!.GetValue<string>();
        var random = new Random(seed);
        var requests = new GeneratedRequests(random, new GeneratedDocuments(random, schema, new GeneratedValues(random, schema, cursor, ids)), fixture.Gateway.GraphQLEndpoint);

        var failures = new List<string>();
        int succeeded = 0, refused = 0;
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; i < RequestCount; i++)
        {
            var request = requests.Next(i);
            using var message = request.Build();
            using var response = await http.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            var problem = Array.IndexOf(Expected, response.StatusCode) < 0 ? "unexpected status" : ErrorShape.Problem(response.StatusCode, body, errorsRequired: false);
            if (problem is not null)
            {
                failures.Add($"#{i} {problem}\n  {request}\n  answer: {(int)response.StatusCode} {ErrorShape.Shorten(body, 1_000)}");
                continue;
            }

            var found = ErrorShape.Codes(body).ToList();
            codes.UnionWith(found);
            succeeded += ErrorShape.Succeeded(body) ? 1 : 0;
            refused += found.Count > 0 ? 1 : 0;
        }

        var summary = $"seed {seed}: {failures.Count} of {RequestCount} requests failed; {succeeded} succeeded, {refused} had errors ({string.Join(", ", codes)})";
        output.WriteLine(summary);
        Assert.True(failures.Count == 0, summary + "\n" + string.Join('\n', failures.Take(10)));

        // A generator that only ever produced garbage (or only valid documents) would prove little.
        Assert.True(succeeded >= RequestCount / 10, summary);
        Assert.True(refused >= RequestCount / 10, summary);
    }
}
