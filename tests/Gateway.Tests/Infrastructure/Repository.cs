namespace Gateway.Tests.Infrastructure;

public static class Repository
{
    /// <summary>The checkout's root (where Gateway.sln is), found from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string TestProject => Path.Combine(Root, "tests", "Gateway.Tests");

    /// <summary>Where tests leave files for people to look at (screenshots); git-ignored.</summary>
    public static string Artifacts
    {
        get
        {
            var directory = Path.Combine(Root, "artifacts");
            Directory.CreateDirectory(directory);
            return directory;
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }
}
