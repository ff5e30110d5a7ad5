using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Live;

/// <summary>The README's first subscription, run in Banana Cake Pop in headless chromium, shows an event.</summary>
[Collection(LiveCollection.Name)]
public sealed class BananaCakePopSubscriptionTests(LiveFixture fixture)
{
    [Fact]
    public async Task A_person_runs_the_subscription_in_the_ide_and_sees_a_new_run_arrive()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is missing: tests/run.sh installs it (apt-get install chromium).");
        const string project = "ide-live";
        var screenshot = Path.Combine(Repository.Artifacts, "banana-cake-pop-subscription.png");
        File.Delete(screenshot);

        var running = NodeScript.RunAsync(
            Path.Combine(Repository.TestProject, "Ide", "browser"),
            "run-subscription.mjs",
            TimeSpan.FromMinutes(3),
            fixture.Gateway.GraphQLEndpoint.ToString(),
            GraphQLClient.DefaultToken,
            GraphQLClient.DefaultWorkspace,
            $"subscription {{ qualityTaskInstanceChanges(projectId: \"{project}\") {{ kind totalCount instance {{ id name runStatus }} }} }}",
            "\"ADDED\"",
            screenshot);
        await Eventually.UntilAsync(
            () => Task.FromResult(running.IsCompleted || fixture.Control.Requests.Any(request => request.ProjectId == project)),
            TimeSpan.FromMinutes(2),
            "the IDE's subscription polled");
        fixture.Control.AppendRun(project);
        var result = await running;

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("received connection_ack", result.Output, StringComparison.Ordinal);
        Assert.Contains("event shown", result.Output, StringComparison.Ordinal);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is missing or empty");
    }
}
