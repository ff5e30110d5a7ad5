using Gateway.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Tests.Http;

/// <summary>Accept negotiation as the GraphQL-over-HTTP spec asks for it.</summary>
public sealed class MediaTypeNegotiationTests
{
    [Theory]
    [InlineData(null, MediaTypes.GraphQLResponse)]
    [InlineData("application/graphql-response+json", MediaTypes.GraphQLResponse)]
    [InlineData("application/json", MediaTypes.Json)]
    [InlineData("*/*", MediaTypes.GraphQLResponse)]
    [InlineData("application/*", MediaTypes.GraphQLResponse)]
    [InlineData("application/json, application/graphql-response+json", MediaTypes.GraphQLResponse)]
    [InlineData("application/json;q=0.9, application/graphql-response+json;q=0.8", MediaTypes.Json)]
    [InlineData("text/html, application/json;q=0.1", MediaTypes.Json)]
    [InlineData("application/graphql-response+json;q=0, application/json", MediaTypes.Json)]
    [InlineData("text/html", null)]
    [InlineData("application/xml, text/plain", null)]
    [InlineData("application/json;q=0", null)]
    public void Picks_the_media_type_the_client_prefers(string? accept, string? expected)
    {
        var values = accept is null ? [] : MediaTypeHeaderValue.ParseList([accept]);

        Assert.Equal(expected, MediaTypes.Negotiate(values));
    }

    [Fact]
    public void Each_media_type_is_answered_in_utf8()
    {
        Assert.Equal("application/json; charset=utf-8", MediaTypes.ContentType(MediaTypes.Json));
        Assert.Equal("application/graphql-response+json; charset=utf-8", MediaTypes.ContentType(MediaTypes.GraphQLResponse));
    }
}
