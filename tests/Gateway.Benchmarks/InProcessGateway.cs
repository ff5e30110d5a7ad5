using System.Text;
using Gateway.Http;
using QualityApi.Emulator;

namespace Gateway.Benchmarks;

/// <summary>
/// The gateway's real composition (the same AddXyz calls as Program.cs, memory cache) over an
/// in-process emulator, with requests handed straight to the GraphQL endpoint's handler: what
/// one request costs in the gateway's own code, without sockets or Kestrel.
/// </summary>
internal sealed class InProcessGateway : IAsyncDisposable
{
    public const string Token = "benchmark-token-0123456789";
    public const string Workspace = "benchmark-workspace";

    /// <summary>The HOT scenario's document: a first page of 10 with every field.</summary>
    public const string FirstPageQuery =
        "{ qualityTaskInstances(projectId: \"bench-project\", first: 10) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } " +
        "edges { cursor node { id name taskId taskType runStatus notifyStatus startTime endTime } } } }";

    private readonly EmulatorServer _emulator;
    private readonly WebApplication _app;
    private readonly GraphQLHttpHandler _handler;

    private InProcessGateway(EmulatorServer emulator, WebApplication app)
    {
        _emulator = emulator;
        _app = app;
        _handler = app.Services.GetRequiredService<GraphQLHttpHandler>();
    }

    public IServiceProvider Services => _app.Services;

    public static async Task<InProcessGateway> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var emulator = await EmulatorServer.StartAsync(new EmulatorOptions());
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = emulator.BaseAddress.ToString(),
            ["Upstream:Budget:PermitLimit"] = "1000000",
            ["Paging:CursorSecret"] = "benchmark-cursor-secret-of-some-length",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddQualityGateway(builder.Configuration, builder.Environment);
        var app = builder.Build();
        await app.StartAsync();
        return new InProcessGateway(emulator, app);
    }

    public static byte[] Body(string query, string? variablesJson = null) => Encoding.UTF8.GetBytes(
        variablesJson is null
            ? $"{{\"query\":{System.Text.Json.JsonSerializer.Serialize(query)}}}"
            : $"{{\"query\":{System.Text.Json.JsonSerializer.Serialize(query)},\"variables\":{variablesJson}}}");

    /// <summary>One POST through the endpoint handler, as Kestrel would hand it over.</summary>
    public async Task<int> PostAsync(byte[] body, Stream responseBody, string token = Token)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var request = http.Request;
        request.Method = HttpMethods.Post;
        request.ContentType = "application/json";
        request.ContentLength = body.Length;
        request.Headers["X-Auth-Token"] = token;
        request.Headers["workspace"] = Workspace;
        request.Headers.Accept = "application/graphql-response+json";
        request.Body = new MemoryStream(body, writable: false);
        http.Response.Body = responseBody;
        await _handler.HandleAsync(http);
        return http.Response.StatusCode;
    }

    /// <summary>The response as text, to check a benchmark measures a successful request.</summary>
    public async Task<string> PostForTextAsync(byte[] body)
    {
        using var response = new MemoryStream();
        var status = await PostAsync(body, response);
        var text = Encoding.UTF8.GetString(response.ToArray());
        return status == StatusCodes.Status200OK && !text.Contains("\"errors\"", StringComparison.Ordinal)
            ? text
            : throw new InvalidOperationException($"The benchmark request failed ({status}): {text}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _emulator.DisposeAsync();
    }
}
