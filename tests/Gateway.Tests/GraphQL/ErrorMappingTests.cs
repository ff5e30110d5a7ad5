using Gateway.GraphQL;
using Gateway.Paging;
using Gateway.Upstream;

namespace Gateway.Tests.GraphQL;

public sealed class ErrorMappingTests
{
    [Theory]
    [InlineData(UpstreamErrorKind.BadRequest, "UPSTREAM_BAD_REQUEST")]
    [InlineData(UpstreamErrorKind.Unauthorized, "UPSTREAM_UNAUTHORIZED")]
    [InlineData(UpstreamErrorKind.Forbidden, "UPSTREAM_FORBIDDEN")]
    [InlineData(UpstreamErrorKind.RateLimited, "UPSTREAM_RATE_LIMITED")]
    [InlineData(UpstreamErrorKind.Unavailable, "UPSTREAM_UNAVAILABLE")]
    [InlineData(UpstreamErrorKind.Timeout, "UPSTREAM_TIMEOUT")]
    [InlineData(UpstreamErrorKind.BadResponse, "UPSTREAM_BAD_RESPONSE")]
    public void Upstream_failures_map_to_stable_codes(UpstreamErrorKind kind, string code)
    {
        var error = ErrorMapping.ToGraphQLError(new UpstreamException(kind, "message"));

        Assert.Equal(code, error?.Code);
    }

    [Fact]
    public void Upstream_details_travel_as_extensions()
    {
        var error = (GatewayError?)ErrorMapping.ToGraphQLError(new UpstreamException(UpstreamErrorKind.RateLimited, "slow down", 429, "APIGW.0308", 7));

        Assert.NotNull(error?.ExtraExtensions);
        Assert.Equal("APIGW.0308", error.ExtraExtensions["upstreamErrorCode"]);
        Assert.Equal(7, error.ExtraExtensions["retryAfterSeconds"]);
        Assert.Equal(429, error.ExtraExtensions["upstreamStatus"]);
    }

    [Theory]
    [InlineData(PagingError.BadArguments, "BAD_USER_INPUT")]
    [InlineData(PagingError.PageSizeExceeded, "PAGE_SIZE_EXCEEDED")]
    [InlineData(PagingError.InvalidCursor, "INVALID_CURSOR")]
    public void Paging_failures_map_to_stable_codes(PagingError kind, string code) =>
        Assert.Equal(code, ErrorMapping.ToGraphQLError(new PagingException(kind, "message"))?.Code);

    [Fact]
    public void Bugs_are_not_mapped_so_they_are_logged_and_hidden() =>
        Assert.Null(ErrorMapping.ToGraphQLError(new InvalidOperationException("bug")));

    [Fact]
    public void Error_info_carries_the_code_and_extensions_only()
    {
        var info = new GatewayErrorInfoProvider().GetInfo(new GatewayError("SOME_CODE", "text", new Dictionary<string, object?> { ["extra"] = 1 }));

        Assert.Equal("text", info.Message);
        Assert.NotNull(info.Extensions);
        Assert.Equal(["code", "extra"], info.Extensions.Keys.Order());
        Assert.Equal("SOME_CODE", info.Extensions["code"]);
    }
}
