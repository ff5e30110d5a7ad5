namespace QualityApi.Emulator;

/// <summary>What one token may read. An empty list allows any value.</summary>
public sealed class AccessRule
{
    /// <summary>Project ids the token may list; others get 403 APIGW.0302.</summary>
    public List<string> Projects { get; set; } = [];

    /// <summary>Workspace ids the token may use; others get 403 DQC.0006.</summary>
    public List<string> Workspaces { get; set; } = [];
}
