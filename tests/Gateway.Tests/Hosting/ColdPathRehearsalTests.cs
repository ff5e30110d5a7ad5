using System.Net;
using Gateway.Tests.Infrastructure;
using Gateway.Upstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The warm-up's cold blocks with Redis: they go through the claim and the publish on a real
/// redis-server, nothing of theirs is left there once the replica is ready, and after the pass
/// no call is answered in process any more.
/// </summary>
[Collection(CacheCollection.Name)]
public sealed class ColdPathRehearsalTests(CacheFixture fixture)
{
    // The ids the rehearsal's made-up list starts with (ColdPathRehearsal), as Redis stores them.
    private const string RehearsalId = "2000000000000000001";

    [Fact]
    public async Task The_cold_blocks_of_the_pass_leave_nothing_in_redis_and_no_call_is_answered_in_process_after_it()
    {
        var calls = fixture.Emulator.Control.ListCalls;
        await using var gateway = fixture.Gateway(new Dictionary<string, string?> { ["Warmup:Enabled"] = "true", ["Warmup:Duration"] = "00:00:00.500" });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        await Eventually.UntilAsync(
            async () => (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30),
            "the gateway did not turn ready after its warm-up pass");

        var rehearsal = gateway.Services.GetRequiredService<UpstreamRehearsal>();
        Assert.True(rehearsal.Answered > 0, "the pass fetched no cold block");
        Assert.Equal(calls, fixture.Emulator.Control.ListCalls);

        // Removed with one command nobody waits for, right before ready.
        await Eventually.UntilAsync(
            async () => !(await fixture.Redis.DumpAsync()).Any(entry => entry.Key.Contains("warm-up-cold", StringComparison.Ordinal) || entry.Value.Contains(RehearsalId, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10),
            "the pass left its cold blocks or their instances in Redis");

        // Over: a request carrying any token goes to the network again.
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/v2/p/quality/instances?offset=0&limit=100");
        request.Headers.Add("X-Auth-Token", "any");
        Assert.Null(rehearsal.Answer(request));
    }
}
