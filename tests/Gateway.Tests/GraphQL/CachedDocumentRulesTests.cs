using Gateway.GraphQL;
using Gateway.Http;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.GraphQL;

/// <summary>
/// Which rules a cached document runs again: only those with something left to check. GraphQL.NET
/// walks the whole document once more for any rule at all, so a rule that cannot fail is not
/// free. What each kept rule then refuses is checked end to end in <see cref="DocumentCacheTests"/>
/// and the HTTP tests.
/// </summary>
public sealed class CachedDocumentRulesTests
{
    [Theory]
    [InlineData("query($after: String) { list(first: 10, after: $after) { id } }", false)]
    [InlineData("query($n: Int) { list(first: $n) { id } }", true)]
    [InlineData("query($n: Int) { list(last: $n) { id } }", true)]
    [InlineData("query($id: ID) { list(id: $id) { id } }", true)]
    [InlineData("query($all: Boolean!) { list(first: 10) { id name @include(if: $all) } }", true)]
    [InlineData("query($all: Boolean!) { ...F } fragment F on Query { list(first: 10) @skip(if: $all) { id } }", true)]
    [InlineData("query($n: Int) { ...F } fragment F on Query { list(first: $n) { id } }", true)]
    [InlineData("{ list(first: 10) { id } }", false)]
    public async Task The_cost_is_checked_again_only_when_a_variable_can_change_it(string query, bool costedAgain)
    {
        var rules = await RulesForSecondRunAsync(query, cached: []);

        Assert.Equal(costedAgain, rules.Any(rule => rule is ComplexityValidationRule));
    }

    [Theory]
    [InlineData("{ list { id } }", false, false)]
    [InlineData("mutation { change { id } }", true, false)]
    [InlineData("subscription { changes { id } }", true, true)]
    [InlineData("query Q { list { id } } subscription S { changes { id } }", true, true)]
    public async Task A_transport_rule_runs_again_only_when_the_document_has_an_operation_type_it_refuses(string query, bool getRuleRuns, bool postRuleRuns)
    {
        var forGet = await RulesForSecondRunAsync(query, HttpGetQueriesOnlyRule.RulesForCachedGet);
        var forPost = await RulesForSecondRunAsync(query, PlainHttpSubscriptionRule.RulesForCachedPost);

        Assert.Equal(getRuleRuns, forGet.Contains(HttpGetQueriesOnlyRule.Instance));
        Assert.Equal(postRuleRuns, forPost.Contains(PlainHttpSubscriptionRule.Instance));
    }

    [Fact]
    public async Task Argument_validators_run_again_unless_the_schema_is_known_to_have_none()
    {
        var unknownSchema = await RulesForSecondRunAsync("{ list { id } }", cached: []);
        var noValidators = await RulesForSecondRunAsync("{ list { id } }", cached: [], new Schema());

        Assert.Contains(FieldArgumentsAreValidRule.Instance, unknownSchema);
        Assert.DoesNotContain(FieldArgumentsAreValidRule.Instance, noValidators);
    }

    /// <summary>Runs <paramref name="query"/> through the cache twice (the first run stands for a full validation that passed) and returns the rules the second run got.</summary>
    private static async Task<List<IValidationRule>> RulesForSecondRunAsync(string query, IValidationRule[] cached, ISchema? schema = null)
    {
        using var cache = new ValidatedDocumentCache();
        var document = Parser.Parse(query);
        using var services = new ServiceCollection().AddSingleton(new ComplexityValidationRule(new ComplexityOptions())).BuildServiceProvider();
        ExecutionOptions? second = null;
        Task<ExecutionResult> Next(ExecutionOptions options)
        {
            second = options.Document is null ? null : options;
            return Task.FromResult(new ExecutionResult { Executed = true, Document = options.Document ?? document });
        }

        ExecutionOptions Options() => new() { Query = query, RequestServices = services, CachedDocumentValidationRules = cached, Schema = schema };
        await cache.ExecuteAsync(Options(), Next);
        await cache.ExecuteAsync(Options(), Next);
        return [.. Assert.IsType<ExecutionOptions>(second).ValidationRules!];
    }
}
