using GraphQL;
using GraphQL.Federation.Types;
using GraphQL.Types;

namespace Gateway.GraphQL;

/// <summary>
/// <c>dotnet run --project src/Gateway -- schema export [path]</c>: writes the served SDL, exactly
/// as <c>_service { sdl }</c> serves it to a federation router. That form, not the full
/// printout with every federation definition, is the one composition accepts (GraphQL.NET's
/// own definition of @tag, for one, fails it), so the committed file can be handed to rover
/// as this subgraph's schema, and it still holds every public type and field.
/// </summary>
public static class SchemaExport
{
    /// <summary>Where the export goes without a path argument, relative to the repository root: the committed schema that a test compares with the served one.</summary>
    public const string DefaultPath = "schema/schema.graphql";

    /// <summary>True when the command line starts with <c>schema export</c>.</summary>
    public static bool IsRequested(string[] args) => args is ["schema", "export", ..];

    /// <summary>
    /// The schema does not depend on the upstream, so exporting it in any environment needs
    /// none: with no endpoint configured, the (never started) emulator stands in for it.
    /// </summary>
    public static void NeedsNoUpstream(ConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration["Upstream:BaseUrl"]) && string.IsNullOrWhiteSpace(configuration["Upstream:Region"]))
        {
            configuration["Upstream:UseEmulator"] = "true";
        }
    }

    /// <summary>The subgraph SDL, with the same print options as the <c>_service</c> field.</summary>
    public static string Print(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var schema = services.GetRequiredService<ISchema>();
        var options = services.GetRequiredService<FederationPrintOptions>();
        return Normalize(schema.Print(options));
    }

    /// <summary>One form for every platform, so that a comparison is about content only.</summary>
    public static string Normalize(string sdl)
    {
        ArgumentNullException.ThrowIfNull(sdl);
        return sdl.ReplaceLineEndings("\n").TrimEnd() + "\n";
    }

    /// <summary>Writes <see cref="Print"/> to <paramref name="args"/>[2], or <see cref="DefaultPath"/>, creating its folder.</summary>
    /// <param name="services">The built application's services (nothing is started).</param>
    /// <param name="args">The command line: <c>schema export [path]</c>.</param>
    /// <returns>The process exit code, 0.</returns>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var path = Path.GetFullPath(args.Length > 2 ? args[2] : Path.Combine(RepositoryRoot(), DefaultPath));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, Print(services));
        await Console.Out.WriteLineAsync($"Schema written to {path}");
        return 0;
    }

    // `dotnet run` may start in the project folder; the default path is the repository's.
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }
}
