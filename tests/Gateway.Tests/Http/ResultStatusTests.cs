using System.Net;
using Gateway.GraphQL;
using Gateway.Http;
using GraphQL;

namespace Gateway.Tests.Http;

/// <summary>The status of a single answer comes from the errors that prefer one, else from the media type.</summary>
public sealed class ResultStatusTests
{
    [Theory]
    [InlineData(MediaTypes.GraphQLResponse, 400)]
    [InlineData(MediaTypes.Json, 200)]
    public void A_document_that_never_executed_is_400_only_under_graphql_response_json(string mediaType, int expected) =>
        Assert.Equal(expected, ResultStatus.For(new ExecutionResult(new GatewayError(ErrorCodes.BadRequest, "no query")), mediaType));

    [Fact]
    public void An_executed_result_with_field_errors_is_200() =>
        Assert.Equal(200, ResultStatus.For(new ExecutionResult(new GatewayError(ErrorCodes.UpstreamTimeout, "late")) { Executed = true }, MediaTypes.GraphQLResponse));

    [Theory]
    [InlineData(MediaTypes.GraphQLResponse)]
    [InlineData(MediaTypes.Json)]
    public void Errors_that_prefer_a_status_decide_it_under_either_media_type(string mediaType)
    {
        Assert.Equal(405, ResultStatus.For(new ExecutionResult(new HttpMethodNotAllowedError("GET")), mediaType));
        Assert.Equal(200, ResultStatus.For(new ExecutionResult(new PersistedQueryNotFoundError()), mediaType));
        Assert.Equal(413, ResultStatus.For(new ExecutionResult(new RequestRefusedError(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.BadUserInput, "big")), mediaType));
    }

    [Fact]
    public void With_several_preferences_the_highest_wins()
    {
        var result = new ExecutionResult { Errors = [new PersistedQueryNotFoundError(), new HttpMethodNotAllowedError("GET")] };

        Assert.Equal(405, ResultStatus.For(result, MediaTypes.GraphQLResponse));
    }
}
