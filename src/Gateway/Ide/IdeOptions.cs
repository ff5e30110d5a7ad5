namespace Gateway.Ide;

public sealed class IdeOptions
{
    public const string Section = "Ide";

    /// <summary>Serve Banana Cake Pop to browsers at GET /graphql.</summary>
    public bool Enabled { get; set; } = true;
}
