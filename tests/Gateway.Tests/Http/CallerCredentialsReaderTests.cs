using Gateway.GraphQL;
using Gateway.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Http;

/// <summary>What a caller hears about a header the gateway refuses: what is wrong with it, never its value.</summary>
public sealed class CallerCredentialsReaderTests
{
    [Fact]
    public void A_pasted_placeholder_with_spaces_is_refused_for_its_characters()
    {
        var problem = Refused(("X-Auth-Token", "<IAM token>"), ("workspace", "w"));

        Assert.Equal(ErrorCodes.Unauthenticated, problem.Code);
        Assert.Contains("only visible ASCII characters", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("IAM token>", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_token_is_refused_for_its_length()
    {
        var problem = Refused(("X-Auth-Token", new string('a', 16 * 1024 + 1)), ("workspace", "w"));

        Assert.Contains("longer than 16384 characters", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workspace_with_a_control_character_is_bad_user_input()
    {
        var problem = Refused(("X-Auth-Token", "t"), ("workspace", "w\u0001"));

        Assert.Equal(ErrorCodes.BadUserInput, problem.Code);
        Assert.Contains("'workspace' header may hold only visible ASCII", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bearer_token_is_read_like_x_auth_token()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = "Bearer abc.def";
        http.Request.Headers["workspace"] = "w";

        var read = CallerCredentialsReader.Read(http.Request);

        Assert.Equal("abc.def", read.Credentials?.Token);
    }

    private static GatewayError Refused(params (string Name, string Value)[] headers)
    {
        var http = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            http.Request.Headers[name] = value;
        }

        var read = CallerCredentialsReader.Read(http.Request);
        Assert.Null(read.Credentials);
        return Assert.IsType<GatewayError>(read.CredentialsError);
    }
}
