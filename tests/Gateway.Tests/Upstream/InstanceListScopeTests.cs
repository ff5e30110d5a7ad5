using Gateway.Upstream;

namespace Gateway.Tests.Upstream;

public sealed class InstanceListScopeTests
{
    [Fact]
    public void The_same_query_always_has_the_same_fingerprint()
    {
        var a = new InstanceListScope("p1", new InstanceFilter(Name: "rule", RunStatus: QualityRunStatus.Failed));
        var b = new InstanceListScope("p1", new InstanceFilter(RunStatus: QualityRunStatus.Failed, Name: "rule"));

        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.Equal(a.FingerprintHex, b.FingerprintHex);
    }

    private static InstanceListScope[] DistinctScopes() =>
    [
        new InstanceListScope("p1", InstanceFilter.None),
        new InstanceListScope("p2", InstanceFilter.None),
        new InstanceListScope("p1", new InstanceFilter(Name: "a")),
        new InstanceListScope("p1", new InstanceFilter(Name: "a|name=b")),
        new InstanceListScope("p1", new InstanceFilter(TaskType: QualityTaskType.QualityTask)),
        new InstanceListScope("p1", new InstanceFilter(TaskType: QualityTaskType.ConsistencyTask)),
        new InstanceListScope("p1", new InstanceFilter(RunStatus: QualityRunStatus.Success)),
        new InstanceListScope("p1", new InstanceFilter(NotifyStatus: QualityNotifyStatus.Success)),
        new InstanceListScope("p1", new InstanceFilter(StartFrom: DateTimeOffset.FromUnixTimeMilliseconds(1))),
        new InstanceListScope("p1", new InstanceFilter(StartTo: DateTimeOffset.FromUnixTimeMilliseconds(1))),
    ];

    [Fact]
    public void Different_queries_have_different_fingerprints()
    {
        var fingerprints = DistinctScopes().Select(scope => scope.Fingerprint).ToList();

        Assert.Equal(fingerprints.Count, fingerprints.Distinct().Count());
    }

    [Fact]
    public void A_name_cannot_impersonate_another_project()
    {
        // Length prefixes keep "p1" + name "x" apart from any project spelled to look like it.
        var a = new InstanceListScope("p1", new InstanceFilter(Name: "x"));
        var b = new InstanceListScope("p1|name=1:x", InstanceFilter.None);

        Assert.NotEqual(a.Fingerprint, b.Fingerprint);
    }

    [Fact]
    public void Credentials_never_print_the_token()
    {
        var credentials = new UpstreamCredentials("secret-token-value", "ws");

        Assert.DoesNotContain("secret-token-value", credentials.ToString(), StringComparison.Ordinal);
    }
}
