using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Benchmarks;

/// <summary>
/// The ceiling of the load scenarios: the smallest ASP.NET Core endpoint that answers the HOT
/// request with the gateway's own response bytes, read once from a file. Same runtime, same
/// Kestrel, same machine, no work per request: whatever the gateway does on top of this is
/// what its throughput ratio measures.
/// </summary>
internal static class CeilingServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 3)
        {
            await Console.Error.WriteLineAsync("usage: ceiling <url, e.g. http://127.0.0.1:5090> <response body file> <content type>");
            return 2;
        }

        var body = await File.ReadAllBytesAsync(args[1]);
        var contentType = args[2];
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(args[0]);
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);
        builder.Logging.ClearProviders();
        var app = builder.Build();

        // The body is drained like any POST; the answer is precomputed.
        app.MapPost("/graphql", async (HttpContext http) =>
        {
            var response = http.Response;
            response.ContentType = contentType;
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, http.RequestAborted);
        });
        await app.RunAsync();
        return 0;
    }
}
