using Gateway.Upstream;

namespace Gateway.Tests.Upstream;

public sealed class InstanceListScopeTests
{
    [Fact]
    public void A_query_has_the_same_fingerprint_in_every_process_and_release()
    {
        // Cursors and cache keys carry the fingerprint, and replicas of two releases run side
        // by side during a deploy: a fingerprint that changed would turn every cursor issued
        // before into INVALID_CURSOR and orphan every cached block. Pinned, so such a change
        // is made on purpose (with a CacheKeys.Version bump), never by accident.
        var scope = new InstanceListScope("p1", new InstanceFilter(Name: "rule", RunStatus: QualityRunStatus.Failed));

        Assert.Equal("96f39a168c552a3cf664e63308a42e54", scope.FingerprintHex);
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
