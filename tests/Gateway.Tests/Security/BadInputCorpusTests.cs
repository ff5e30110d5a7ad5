using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Security;

/// <summary>
/// A generated corpus of over a thousand hostile or broken requests: none may produce a 5xx,
/// an unhandled exception in the log, or anything but a well-formed GraphQL error.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BadInputCorpusTests(GatewayFixture fixture)
{
    private const string PageQuery = "query($p: String, $first: Int, $last: Int, $after: String, $before: String, $where: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: $p, first: $first, last: $last, after: $after, before: $before, where: $where) { totalCount nodes { id } } }";

    [Fact]
    public async Task A_thousand_bad_requests_get_well_formed_errors_and_no_5xx()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = new GatewayServer(
            fixture.Emulator.BaseAddress,
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" },
            builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        using var seed = new GraphQLClient(gateway.GraphQLEndpoint);
        var realCursor = (await seed.PostAsync("{ qualityTaskInstances(projectId: \"corpus\", first: 3) { pageInfo { endCursor } } }"))
            .Data["qualityTaskInstances"]!["pageInfo"]!["endCursor"]!.GetValue<string>();

        var corpus = new Corpus(new Random(20261128), gateway.GraphQLEndpoint, realCursor).Generate(1_200);
        var failures = new ConcurrentBag<string>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await Parallel.ForEachAsync(corpus, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, _) =>
        {
            using var request = item.Build();
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (ErrorShape.Problem(response.StatusCode, body) is { } problem)
            {
                failures.Add($"{item.Label}: {(int)response.StatusCode} {problem} :: {ErrorShape.Shorten(body)}");
            }
        });

        var severe = logs.Lines.Where(line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Critical", StringComparison.Ordinal)).ToList();
        Assert.True(corpus.Count >= 1_000);
        Assert.True(failures.IsEmpty, string.Join('\n', failures.Take(20)) + "\n" + string.Join('\n', severe.Take(3)));
        Assert.True(severe.Count == 0, string.Join('\n', severe.Take(5)));
    }

    private sealed record BadRequest(string Label, Func<HttpRequestMessage> Build);

    /// <summary>Deterministic generator of broken requests, by kind.</summary>
    private sealed class Corpus(Random random, Uri endpoint, string realCursor)
    {
        private static readonly string[] PathLikeProjects = ["../x", "..%2F..%2Fv1", "p/../../admin", "p%2Fq", "p?limit=1", "p#frag", "p q", " p", "p\t", "%00", "p;drop", new string('p', 65), new string('a', 10_000), "ünïcode", "p\\q"];
        private static readonly string[] BadNumbers = ["\"abc\"", "1.5", "true", "[]", "{}", "2147483648", "-2147483649", "1e20", "-1", "-100", "101", "99999999999999999999", "null1"];
        private static readonly string[] BadDates = ["\"yesterday\"", "\"2024-13-01T00:00:00Z\"", "\"2024-01-01\"", "\"2024-01-01T00:00:00\"", "12", "\"\"", "\"1990-01-01T00:00:00Z\"", "true"];
        private static readonly string[] BadEnums = ["\"NOPE\"", "\"running\"", "1", "\"\"", "null1", "[\"FAILED\"]"];

        public List<BadRequest> Generate(int count)
        {
            var kinds = new Func<int, BadRequest>[]
            {
                MalformedJson, InvalidUtf8, WrongVariableType, BadNumber, BadCursor, PathLikeProject, BadFilter,
                DeepDocument, WideDocument, ManyAliases, Oversized, GarbageDocument, BadGet, BadHeaders, WrongContentType,
            };
            return [.. Enumerable.Range(0, count).Select(i => kinds[i % kinds.Length](i))];
        }

        private BadRequest MalformedJson(int i)
        {
            const string valid = """{"query":"{ qualityTaskInstances(projectId: \"corpus\") { totalCount } }","variables":{"first":10}}""";
            var broken = (i % 4) switch
            {
                0 => valid[..random.Next(1, valid.Length - 1)],
                1 => valid.Replace("\"", "'", StringComparison.Ordinal),
                2 => new string([.. Enumerable.Range(0, random.Next(1, 200)).Select(_ => (char)random.Next(32, 127))]),
                _ => valid + "}{,]",
            };
            return Post("malformed json", Encoding.UTF8.GetBytes(broken));
        }

        private BadRequest InvalidUtf8(int i)
        {
            var bytes = Encoding.UTF8.GetBytes("""{"query":"{ qualityTaskInstances(projectId: \"XX\") { totalCount } }"}""");
            var at = Array.IndexOf(bytes, (byte)'X');
            bytes[at] = (byte)(0x80 + (i % 0x40));
            bytes[at + 1] = 0xFF;
            return Post("invalid utf-8", bytes);
        }

        private BadRequest WrongVariableType(int i)
        {
            var variables = (i % 5) switch
            {
                0 => "\"a string\"",
                1 => "[1,2,3]",
                2 => "{\"p\":{\"nested\":true}}",
                3 => "{\"where\":\"not an object\"}",
                _ => "{\"after\":12345}",
            };
            return Post("wrong variable type", Json(PageQuery, variables));
        }

        private BadRequest BadNumber(int i) =>
            Post("bad number", Json(PageQuery, $$"""{"p":"corpus","{{(i % 2 == 0 ? "first" : "last")}}":{{BadNumbers[random.Next(BadNumbers.Length)]}}}"""));

        private BadRequest BadCursor(int i)
        {
            var cursor = (i % 5) switch
            {
                0 => Convert.ToBase64String(random.Bytes(random.Next(1, 64))),
                1 => random.Mutate(realCursor),
                2 => realCursor[..random.Next(0, realCursor.Length)],
                3 => realCursor + "A",
                _ => new string('/', random.Next(1, 100)),
            };
            var argument = i % 2 == 0 ? "after" : "before";
            return Post("bad cursor", Json(PageQuery, $$"""{"p":"corpus","first":{{(argument == "after" ? 5 : "null")}},"last":{{(argument == "before" ? 5 : "null")}},"{{argument}}":{{System.Text.Json.JsonSerializer.Serialize(cursor)}}}"""));
        }

        private BadRequest PathLikeProject(int i) =>
            Post("path-like project", Json(PageQuery, $$"""{"p":{{System.Text.Json.JsonSerializer.Serialize(PathLikeProjects[i % PathLikeProjects.Length])}}}"""));

        private BadRequest BadFilter(int i)
        {
            var where = (i % 3) switch
            {
                0 => $$$"""{"runStatus":{"eq":{{{BadEnums[random.Next(BadEnums.Length)]}}}}}""",
                1 => $$$"""{"startTime":{"gte":{{{BadDates[random.Next(BadDates.Length)]}}}}}""",
                _ => $$$"""{"name":{"eq":{{{System.Text.Json.JsonSerializer.Serialize(i % 2 == 0 ? string.Empty : new string('n', 300))}}}}}""",
            };
            return Post("bad filter", Json(PageQuery, $$"""{"p":"corpus","where":{{where}}}"""));
        }

        private BadRequest DeepDocument(int i)
        {
            var depth = 16 + (i % 200);
            var query = "{ __schema { types { " + string.Concat(Enumerable.Repeat("ofType { ", depth)) + "name" + new string('}', depth) + " } } }";
            return Post("deep document", Json(query, "{}"));
        }

        private BadRequest WideDocument(int i) =>
            Post("wide document", Json("{ " + string.Join(' ', Enumerable.Repeat("__typename", 501 + (i % 3000))) + " }", "{}"));

        private BadRequest ManyAliases(int i) =>
            Post("many aliases", Json("{ " + string.Join(' ', Enumerable.Range(0, 21 + (i % 200)).Select(n => $"a{n}: qualityTaskInstances(projectId: \"corpus\") {{ totalCount }}")) + " }", "{}"));

        private BadRequest Oversized(int i) =>
            Post("oversized body", Json("{ __typename }", $$"""{"padding":"{{new string('x', 300_000 + i)}}"}"""));

        private BadRequest GarbageDocument(int i)
        {
            var pieces = new[] { "{", "}", "(", ")", "query", "mutation", "subscription", "fragment", "on", "...", "$", ":", "qualityTaskInstances", "first", "\"", "@", "!", "[", "]", "=", "#" };
            var document = string.Join(' ', Enumerable.Range(0, random.Next(1, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            return Post("garbage document", Json(document, "{}"));
        }

        private BadRequest BadGet(int i)
        {
            var target = (i % 4) switch
            {
                0 => $"{endpoint}?query={Uri.EscapeDataString("{ qualityTaskInstances { totalCount } }")}&variables={Uri.EscapeDataString("{not json")}",
                1 => $"{endpoint}?query=&query=",
                2 => $"{endpoint}?query={Uri.EscapeDataString("mutation { x }")}",
                _ => $"{endpoint}?extensions={Uri.EscapeDataString("{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"xyz\"}}")}",
            };
            return new BadRequest("bad get", () => WithCredentials(new HttpRequestMessage(HttpMethod.Get, target)));
        }

        private BadRequest BadHeaders(int i) => new("bad headers", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Json("{ qualityTaskInstances(projectId: \"corpus\") { totalCount } }", "{}")) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Accept.ParseAdd("application/graphql-response+json");
            switch (i % 4)
            {
                case 0:
                    request.Headers.TryAddWithoutValidation("X-Auth-Token", new string('t', 20_000));
                    request.Headers.TryAddWithoutValidation("workspace", "w");
                    break;
                case 1:
                    request.Headers.TryAddWithoutValidation("X-Auth-Token", "token");
                    request.Headers.TryAddWithoutValidation("workspace", new string('w', 500));
                    break;
                case 2:
                    request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
                    request.Headers.TryAddWithoutValidation("workspace", "w");
                    break;
                default:
                    request.Headers.TryAddWithoutValidation("X-Auth-Token", ["a", "b"]);
                    request.Headers.TryAddWithoutValidation("workspace", "w");
                    break;
            }

            return request;
        });

        private BadRequest WrongContentType(int i) => new("wrong content type", () =>
        {
            var request = WithCredentials(new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Json("{ __typename }", "{}")) });
            request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(new[] { "text/plain", "application/xml", "application/json; charset=latin1", "multipart/form-data; boundary=x" }[i % 4]);
            return request;
        });

        private BadRequest Post(string label, byte[] body) => new(label, () =>
        {
            var request = WithCredentials(new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) });
            request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return request;
        });

        private static HttpRequestMessage WithCredentials(HttpRequestMessage request)
        {
            request.Headers.TryAddWithoutValidation("X-Auth-Token", GraphQLClient.DefaultToken);
            request.Headers.TryAddWithoutValidation("workspace", GraphQLClient.DefaultWorkspace);
            request.Headers.Accept.ParseAdd(request.RequestUri!.Query.Length % 2 == 0 ? "application/graphql-response+json" : "application/json");
            return request;
        }

        private static byte[] Json(string query, string variables) =>
            Encoding.UTF8.GetBytes($$"""{"query":{{System.Text.Json.JsonSerializer.Serialize(query)}},"variables":{{variables}}}""");
    }
}
