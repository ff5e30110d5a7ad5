using System.Text;
using System.Text.Json;
using Gateway.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gateway.Ide;

/// <summary>
/// Banana Cake Pop, self-hosted: a browser asking GET /graphql for HTML gets the IDE, its assets
/// come from /graphql/..., and it finds the endpoint through /graphql/bcp-config.json. Nothing
/// is loaded from the internet, and telemetry is off.
/// </summary>
public static class IdeApplicationBuilderExtensions
{
    /// <summary>Where the build copies the npm package's static files.</summary>
    public static string AssetDirectory => Path.Combine(AppContext.BaseDirectory, "ide");

    /// <summary>Binds Ide (Ide:Enabled, on by default) and validates it on start, so a value that is not a boolean stops start-up.</summary>
    /// <param name="services">The gateway's services.</param>
    /// <param name="configuration">Not read: the section is bound through <c>BindConfiguration</c>.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddIde(this IServiceCollection services, IConfiguration configuration)
    {
        // Nothing to range-check; binding on start still turns a value that is not a boolean into a start-up error.
        services.AddOptions<IdeOptions>().BindConfiguration(IdeOptions.Section).ValidateOnStart();
        return services;
    }

    /// <summary>Serves the IDE under <paramref name="endpointPath"/> when Ide:Enabled: the page for a browser's GET that prefers HTML and has no <c>query</c>, its config at bcp-config.json, and its static files (hashed bundles cached for a year, the rest revalidated).</summary>
    /// <param name="app">The application.</param>
    /// <param name="endpointPath">The GraphQL endpoint the IDE is served beside and talks to.</param>
    /// <returns>The same application.</returns>
    /// <exception cref="InvalidOperationException">Ide:Enabled is true but the build did not copy the IDE's files (npm ci).</exception>
    public static WebApplication UseIde(this WebApplication app, string endpointPath = "/graphql")
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IOptions<IdeOptions>>().Value.Enabled)
        {
            return app;
        }

        var index = Path.Combine(AssetDirectory, "index.html");
        if (!File.Exists(index))
        {
            throw new InvalidOperationException($"Banana Cake Pop's files are missing from {AssetDirectory}: the build copies them from src/Gateway/Ide/node_modules (npm ci). Set Ide:Enabled=false to run without the IDE.");
        }

        // The page is served at /graphql (no trailing slash), so a <base> makes its relative
        // asset and config paths resolve under /graphql/ instead of the site root.
        var html = File.ReadAllText(index);
        var config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["useBrowserUrlAsEndpoint"] = true,
            ["disableTelemetry"] = true,
            ["includeCookies"] = false,
            ["useGet"] = false,
        });

        app.Use(async (http, next) =>
        {
            var request = http.Request;
            if (HttpMethods.IsGet(request.Method) && request.Path.Equals(endpointPath, StringComparison.OrdinalIgnoreCase)
                && !request.Query.ContainsKey("query") && MediaTypes.PrefersHtml(request.GetTypedHeaders().Accept))
            {
                var basePath = request.PathBase + endpointPath + "/";
                http.Response.ContentType = "text/html; charset=utf-8";
                http.Response.Headers.CacheControl = "no-cache";
                await http.Response.WriteAsync(html.Replace("<head>", $"<head><base href=\"{basePath}\"/>", StringComparison.Ordinal), Encoding.UTF8);
                return;
            }

            if (HttpMethods.IsGet(request.Method) && request.Path.Equals(endpointPath + "/bcp-config.json", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.ContentType = "application/json";
                http.Response.Headers.CacheControl = "no-cache";
                await http.Response.Body.WriteAsync(config);
                return;
            }

            await next(http);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(AssetDirectory),
            RequestPath = endpointPath,
            OnPrepareResponse = context =>
            {
                // Hashed bundle names never change content; the rest is revalidated.
                context.Context.Response.Headers[HeaderNames.CacheControl] = context.File.Name.Contains('.', StringComparison.Ordinal) && context.Context.Request.Path.StartsWithSegments(endpointPath + "/static")
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
            },
        });
        return app;
    }
}
