using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.GraphQL;

/// <summary>
/// A page size the resolver refuses is PAGE_SIZE_EXCEEDED (or BAD_USER_INPUT) whatever is
/// selected, and never changes what the rest of the document costs.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PageCostTests(GatewayFixture fixture)
{
    private const string AllFields = "nodes { id name taskId taskType runStatus notifyStatus startTime endTime } edges { cursor node { id name taskId taskType runStatus notifyStatus startTime endTime } } pageInfo { hasNextPage endCursor } totalCount";

    [Theory]
    [InlineData("first: 5000", "totalCount")]
    [InlineData("first: 5000", "nodes { id }")]
    [InlineData("last: 5000", "nodes { id name }")]
    [InlineData("first: 101", AllFields)]
    [InlineData("last: 2147483647", AllFields)]
    public async Task An_oversized_page_is_PAGE_SIZE_EXCEEDED_whatever_is_selected(string size, string selection)
    {
        using var client = fixture.Client();
        var calls = fixture.Emulator.Control.ListCalls;

        var response = await client.PostAsync($"{{ qualityTaskInstances(projectId: \"page-cost\", {size}) {{ {selection} }} }}");

        AssertPageSizeExceeded(response, "qualityTaskInstances");
        Assert.Equal(calls, fixture.Emulator.Control.ListCalls);
    }

    [Fact]
    public async Task Through_a_variable_and_a_cached_document_it_is_PAGE_SIZE_EXCEEDED_too()
    {
        using var client = fixture.Client();
        const string query = "query($n: Int) { qualityTaskInstances(projectId: \"page-cost\", first: $n) { nodes { id name } } }";

        var fits = await client.PostAsync(query, new { n = 5 });
        var oversized = await client.PostAsync(query, new { n = 5000 });

        Assert.True(fits.Errors is null, fits.ToString());
        AssertPageSizeExceeded(oversized, "qualityTaskInstances");
    }

    [Fact]
    public async Task Every_alias_of_an_oversized_full_page_is_PAGE_SIZE_EXCEEDED()
    {
        using var client = fixture.Client();
        var aliases = Enumerable.Range(0, 15).Select(i => $"p{i}: qualityTaskInstances(projectId: \"page-cost\", first: 5000) {{ {AllFields} }}");

        var response = await client.PostAsync("{ " + string.Join(' ', aliases) + " }");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(Enumerable.Repeat("PAGE_SIZE_EXCEEDED", 15), response.ErrorCodes);
    }

    [Fact]
    public async Task Many_legitimate_pages_are_still_QUERY_TOO_COMPLEX_beside_an_oversized_one()
    {
        using var client = fixture.Client();
        var pages = Enumerable.Range(0, 6).Select(i => $"p{i}: qualityTaskInstances(projectId: \"page-cost\", first: 100) {{ {AllFields} }}");

        var response = await client.PostAsync("{ big: qualityTaskInstances(projectId: \"page-cost\", first: 5000) { totalCount } " + string.Join(' ', pages) + " }");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["QUERY_TOO_COMPLEX"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_negative_page_does_not_pay_for_other_pages()
    {
        using var client = fixture.Client();
        var calls = fixture.Emulator.Control.ListCalls;
        var pages = Enumerable.Range(0, 6).Select(i => $"p{i}: qualityTaskInstances(projectId: \"page-cost-negative\", first: 100) {{ {AllFields} }}");

        var response = await client.PostAsync("{ credit: qualityTaskInstances(projectId: \"page-cost\", first: -1000000) { nodes { id name taskId } } " + string.Join(' ', pages) + " }");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["QUERY_TOO_COMPLEX"], response.ErrorCodes);
        Assert.Equal(calls, fixture.Emulator.Control.ListCalls);
    }

    private static void AssertPageSizeExceeded(GraphQLResponse response, string field)
    {
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.ErrorCodes is ["PAGE_SIZE_EXCEEDED"], response.ToString());
        Assert.Null(response.Data[field]);
        Assert.Equal(field, response.Errors![0]!["path"]![0]!.GetValue<string>());
    }
}
