using GraphQL;
using GraphQL.Types;

namespace Gateway.GraphQL;

/// <summary><c>dotnet run --project src/Gateway -- schema export [path]</c>: writes the served SDL.</summary>
public static class SchemaExport
{
    public const string DefaultPath = "schema/schema.graphql";

    public static bool IsRequested(string[] args) => args is ["schema", "export", ..];

    public static string Print(ISchema schema) => schema.Print().ReplaceLineEndings("\n").TrimEnd() + "\n";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var path = Path.GetFullPath(args.Length > 2 ? args[2] : Path.Combine(RepositoryRoot(), DefaultPath));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, Print(services.GetRequiredService<ISchema>()));
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
