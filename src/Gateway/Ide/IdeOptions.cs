namespace Gateway.Ide;

/// <summary>The bundled IDE (section <c>Ide</c>).</summary>
public sealed class IdeOptions
{
    /// <summary>The configuration section these options bind.</summary>
    public const string Section = "Ide";

    /// <summary>Serve Banana Cake Pop to browsers at GET /graphql (from the build output, never a CDN). Default: true.</summary>
    public bool Enabled { get; set; } = true;
}
