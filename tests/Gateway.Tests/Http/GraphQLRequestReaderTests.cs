using System.Net;
using System.Text;
using Gateway.GraphQL;
using Gateway.Http;
using GraphQL.SystemTextJson;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Http;

/// <summary>The reader alone: what it makes of a query string or a body, and what it refuses, with which status and code.</summary>
public sealed class GraphQLRequestReaderTests
{
    private static readonly GraphQLRequestReader Reader = new(new GraphQLSerializer(), Options.Create(new GraphQLHttpOptions { MaxRequestBodyBytes = 64, MaxBatchSize = 2 }));

    [Fact]
    public async Task A_GET_reads_query_operation_name_variables_and_extensions_from_the_query_string()
    {
        var http = Get("?query=%7B__typename%7D&operationName=Op&variables=%7B%22a%22%3A1%7D&extensions=%7B%22e%22%3Atrue%7D");

        var read = await ReadAsync(http);

        Assert.Null(read.Failure);
        Assert.False(read.IsBatch);
        var request = Assert.Single(read.Requests)!;
        Assert.Equal("{__typename}", request.Query);
        Assert.Equal("Op", request.OperationName);
        Assert.True(request.Variables!.ContainsKey("a"));
        Assert.True(request.Extensions!.ContainsKey("e"));
    }

    [Fact]
    public async Task A_GET_with_only_extensions_is_a_persisted_query_without_a_document()
    {
        var read = await ReadAsync(Get("?extensions=%7B%22persistedQuery%22%3A%7B%7D%7D"));

        Assert.Null(read.Failure);
        Assert.Null(read.Requests[0]!.Query);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?query=a&query=b")]
    [InlineData("?query=%7Ba%7D&variables=%5B1%5D")]
    [InlineData("?query=%7Ba%7D&variables=not-json")]
    public async Task A_GET_without_exactly_one_query_or_with_non_object_variables_is_400_BAD_REQUEST(string queryString)
    {
        var read = await ReadAsync(Get(queryString));

        AssertFailure(read.Failure, HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
    }

    [Fact]
    public async Task A_GET_has_no_body_to_read()
    {
        using var body = await Reader.ReadBodyAsync(Get("?query=%7Ba%7D").Request, CancellationToken.None);

        Assert.Null(body.Failure);
        Assert.Null(body.Content);
        Assert.True(body.Bytes.IsEmpty);
    }

    [Fact]
    public async Task A_POST_body_is_read_as_its_bytes_and_one_request()
    {
        const string Json = """ {"query":"{a}","operationName":"A"}""";
        var http = Post(Json);

        using var body = await Reader.ReadBodyAsync(http.Request, CancellationToken.None);
        var read = await Reader.ParseAsync(http.Request, body, CancellationToken.None);

        Assert.Equal(Json, Encoding.UTF8.GetString(body.Bytes.Span));
        Assert.False(read.IsBatch);
        Assert.Equal("A", read.Requests[0]!.OperationName);
    }

    [Fact]
    public async Task A_JSON_array_is_a_batch_whose_null_entries_stay_null()
    {
        var read = await ReadAsync(Post("""[{"query":"{a}"}, null]"""));

        Assert.Null(read.Failure);
        Assert.True(read.IsBatch);
        Assert.Equal(2, read.Requests.Count);
        Assert.Null(read.Requests[1]);
    }

    [Theory]
    [InlineData("[]", ErrorCodes.BadRequest)]
    [InlineData("null", ErrorCodes.BadRequest)]
    [InlineData("{\"query\":", ErrorCodes.BadRequest)]
    [InlineData("""[{"query":"{a}"},{"query":"{a}"},{"query":"{a}"}]""", ErrorCodes.BadUserInput)]
    public async Task An_empty_unparsable_or_oversized_batch_is_400(string json, string code)
    {
        var read = await ReadAsync(Post(json));

        AssertFailure(read.Failure, HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json; charset=latin1")]
    [InlineData(null)]
    public async Task A_POST_that_is_not_UTF8_JSON_is_415_BAD_REQUEST(string? contentType)
    {
        using var body = await Reader.ReadBodyAsync(Post("{}", contentType).Request, CancellationToken.None);

        AssertFailure(body.Failure, HttpStatusCode.UnsupportedMediaType, ErrorCodes.BadRequest);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_is_413_BAD_USER_INPUT_whether_or_not_it_announced_its_length(bool announced)
    {
        var http = Post("{\"query\":\"" + new string('a', 80) + "\"}");
        if (!announced)
        {
            http.Request.ContentLength = null;
        }

        using var body = await Reader.ReadBodyAsync(http.Request, CancellationToken.None);

        AssertFailure(body.Failure, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.BadUserInput);
        Assert.Contains("64 bytes", body.Failure!.Message, StringComparison.Ordinal);
    }

    private static async Task<GraphQLRequests> ReadAsync(HttpContext http)
    {
        using var body = await Reader.ReadBodyAsync(http.Request, CancellationToken.None);
        Assert.Null(body.Failure);
        return await Reader.ParseAsync(http.Request, body, CancellationToken.None);
    }

    private static void AssertFailure(RequestRefusedError? failure, HttpStatusCode status, string code)
    {
        Assert.NotNull(failure);
        Assert.Equal(status, failure.PreferredStatusCode);
        Assert.Equal(code, failure.Code);
    }

    private static DefaultHttpContext Get(string queryString)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = HttpMethods.Get;
        http.Request.QueryString = new QueryString(queryString);
        return http;
    }

    private static DefaultHttpContext Post(string json, string? contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var http = new DefaultHttpContext();
        http.Request.Method = HttpMethods.Post;
        http.Request.ContentType = contentType;
        http.Request.ContentLength = bytes.Length;
        http.Request.Body = new MemoryStream(bytes);
        return http;
    }
}
