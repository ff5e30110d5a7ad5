using System.Net.Http.Headers;
using System.Text;
using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;

namespace Gateway.Tests.Live;

/// <summary>
/// An SSE subscription with nothing to say still speaks: a comment line every
/// Live:KeepAliveInterval, so proxies and browsers keep a quiet stream open.
/// </summary>
public sealed class ServerSentEventsKeepAliveTests
{
    [Fact]
    public async Task A_quiet_stream_gets_a_comment_line_every_keep_alive_interval()
    {
        await using var emulator = await EmulatorServer.StartAsync(GatewayFixture.EmulatorOptions());
        await using var gateway = new GatewayServer(emulator.BaseAddress, new Dictionary<string, string?>
        {
            ["Live:PollInterval"] = "00:00:00.250",
            ["Live:KeepAliveInterval"] = "00:00:00.200",
        });
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.GraphQLEndpoint)
        {
            Content = new StringContent("""{"query":"subscription { qualityTaskInstanceChanges(projectId: \"keep-alive\") { kind } }"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("X-Auth-Token", GraphQLClient.DefaultToken);
        request.Headers.Add("workspace", GraphQLClient.DefaultWorkspace);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // Nothing changes in the emulator, and the first poll only sets the baseline: every line
        // is a keep-alive. Three of them, read as they come (bounded), none of them an event.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var comments = 0;
        while (comments < 3)
        {
            var line = await reader.ReadLineAsync(bound.Token);
            Assert.NotNull(line);
            Assert.DoesNotContain("event:", line, StringComparison.Ordinal);
            if (line.StartsWith(':'))
            {
                comments++;
            }
        }
    }
}
