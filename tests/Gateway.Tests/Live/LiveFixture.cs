using System.Text.Json.Nodes;
using Gateway.Live;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using QualityApi.Emulator;

namespace Gateway.Tests.Live;

/// <summary>An emulator and a gateway that polls every 250 ms, shared by the live feed's integration tests.</summary>
public sealed class LiveFixture : FixtureLifecycle
{
    public const string ForbiddingToken = GatewayFixture.RestrictedToken;
    public const string SecondToken = GatewayFixture.SecondToken;
    public const string AllowedOrigin = GatewayFixture.AllowedOrigin;

    public const string ChangeSelection = "kind totalCount instance { id name taskId taskType runStatus notifyStatus startTime endTime }";

    private EmulatorServer? _emulator;
    private GatewayServer? _gateway;

    public EmulatorServer Emulator => Require(_emulator);

    public EmulatorControl Control => Emulator.Control;

    public GatewayServer Gateway => Require(_gateway);

    public LiveFeedHub Hub => Gateway.Services.GetRequiredService<LiveFeedHub>();

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Live:PollInterval"] = "00:00:00.250",
        ["Live:ConnectionInitTimeout"] = "00:00:01",
        ["Live:MaxSubscriptionsPerConnection"] = "3",
        ["Cors:AllowedOrigins:0"] = AllowedOrigin,
    };

    protected override async Task StartAsync()
    {
        _emulator = Started(await EmulatorServer.StartAsync(GatewayFixture.EmulatorOptions()));
        _gateway = Started(new GatewayServer(_emulator.BaseAddress, Settings()));
    }

    public static string Subscription(string projectId, string? where = null) =>
        $"subscription {{ qualityTaskInstanceChanges(projectId: \"{projectId}\"{(where is null ? "" : $", where: {where}")}) {{ {ChangeSelection} }} }}";

    /// <summary>Waits until the emulator has answered <paramref name="more"/> more polls of the project than <paramref name="seen"/>.</summary>
    public Task PollsAsync(string projectId, int seen, int more = 1) => Eventually.UntilAsync(
        () => Task.FromResult(Control.CallsFor(projectId) >= seen + more),
        TimeSpan.FromSeconds(20),
        $"{more} more poll(s) of {projectId} reached the emulator");

    /// <summary>After this, a change made at the emulator is seen by the next poll of the caller's feed, not by its baseline.</summary>
    public Task BaselineAsync(string projectId, string token = GraphQLClient.DefaultToken) => Eventually.UntilAsync(
        () => Task.FromResult(Control.Requests.Any(request => request.ProjectId == projectId && request.Token == token)),
        TimeSpan.FromSeconds(20),
        $"the baseline poll of {projectId} reached the emulator");

    /// <summary>Waits until a poll that started after now has been answered.</summary>
    public Task NextPollAsync(string projectId) => PollsAsync(projectId, Control.CallsFor(projectId), 2);

    /// <summary>The instance as qualityTaskInstances serves it now (the head of the project's list).</summary>
    public async Task<JsonNode> ServedHeadAsync(string projectId)
    {
        using var client = new GraphQLClient(Gateway.GraphQLEndpoint);
        var response = await client.PostAsync(
            "query($p: String) { qualityTaskInstances(projectId: $p, first: 1) { nodes { id name taskId taskType runStatus notifyStatus startTime endTime } } }",
            new { p = projectId },
            request => request.Headers.TryAddWithoutValidation("Cache-Control", "no-cache"));
        return response.Data["qualityTaskInstances"]!["nodes"]![0]!;
    }
}

[CollectionDefinition(Name)]
public sealed class LiveCollection : ICollectionFixture<LiveFixture>
{
    public const string Name = "live feed";
}
