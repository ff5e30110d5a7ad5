using System.Collections;
using System.Globalization;
using System.Text;
using Gateway.GraphQL;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Instrumentation;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser;
using GraphQLParser.AST;

namespace Gateway.Tests.GraphQL;

/// <summary>
/// The validator a cached document gets gives what GraphQL.NET's own gives, without rules and
/// with every kind of rule: the same coerced variables, argument and directive values, and
/// errors, for documents with fragments, unions, interfaces, introspection, defaults, input
/// objects and directives anywhere. Both run on the same parsed document, so the values are
/// compared node by node.
/// </summary>
public sealed class CachedDocumentValidatorTests
{
    private const string Sdl = """
        directive @tag(name: String!, weight: Int = 3) on QUERY | MUTATION | FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT | FRAGMENT_DEFINITION | VARIABLE_DEFINITION
        enum Status { RUNNING FAILED SUCCESS }
        input StatusFilter { eq: Status, in: [Status!] }
        input Filter { status: StatusFilter, name: String, and: [Filter!] }
        interface Node { id: ID! }
        type Item implements Node { id: ID! name: String child(depth: Int = 1): Item }
        type Other implements Node { id: ID! size(unit: String = "kB"): Int }
        union Found = Item | Other
        type Query {
          list(first: Int, after: String, where: Filter): [Item]
          search(text: String!): [Found]
          node(id: ID!): Node
          required(n: Int!): Int
        }
        type Mutation { change(x: Int!, tags: [String] = ["a"]): Int }
        """;

    private static readonly ISchema TestSchema = BuildSchema();

    public static TheoryData<string, string?, string?, bool> Cases()
    {
        var cases = new TheoryData<string, string?, string?, bool>();
        foreach (var (query, operationName, variables) in Documents)
        {
            cases.Add(query, operationName, variables, false);
            cases.Add(query, operationName, variables, true);
        }

        return cases;
    }

    private static readonly (string Query, string? OperationName, string? Variables)[] Documents =
    [
        // What the FOLLOW load sends, then its variants.
        ("query Follow($after: String, $where: Filter) { u1: list(first: 10, after: $after, where: $where) { id name } }", null, """{"after":"abc","where":{"status":{"eq":"FAILED"}}}"""),
        ("query Follow($after: String, $where: Filter) { u1: list(first: 10, after: $after, where: $where) { id } }", null, """{"after":null,"where":null}"""),
        ("query Follow($after: String, $where: Filter) { u1: list(first: 10, after: $after, where: $where) { id } }", null, "{}"),
        ("query($where: Filter) { list(where: $where) { id } }", null, """{"where":{"status":{"in":["RUNNING","SUCCESS"]},"and":[{"name":"x"},{"status":{"eq":"RUNNING"}}]}}"""),
        ("query($s: Status) { list(where: {status: {eq: $s}, and: [{name: \"n\"}]}) { id } }", null, """{"s":"FAILED"}"""),
        ("query($n: Int = 5) { list(first: $n) { id } }", null, "{}"),
        ("query($n: Int = 5) { list(first: $n) { id } }", null, """{"n":null}"""),
        ("query($n: Int = 5) { list(first: $n) { id } }", null, """{"n":7}"""),
        ("query($all: Boolean!, $n: Int) { ...F @include(if: $all) list(first: 2) { ... on Item @skip(if: false) { id child { id } } } } fragment F on Query @tag(name: \"f\") { list(first: $n) { id } }", null, """{"all":true,"n":3}"""),
        ("{ search(text: \"a\") { __typename ... on Item { id child(depth: 2) { id } } ...U ... on Other { size } } } fragment U on Item { child(depth: 3) { ...U2 } } fragment U2 on Item { id child { id } }", null, null),
        ("query($id: ID!) { node(id: $id) { id ... on Other { size(unit: \"MB\") } ... @tag(name: \"i\", weight: 1) { id } } }", null, """{"id":"7"}"""),
        ("query Q($n: Int @tag(name: \"v\")) @tag(name: \"q\") { __type(name: \"Item\") { name fields(includeDeprecated: true) { name } } __schema { types { name } } list(first: $n) { id } }", "Q", """{"n":1}"""),
        ("query A { list(first: 1) { id } } query B($t: String!) { search(text: $t) { __typename } }", "B", """{"t":"x"}"""),
        ("mutation($x: Int!) { change(x: $x) again: change(x: 2, tags: null) }", null, """{"x":4}"""),

        ("query($n: Int) { list(first: $n) { id child { id name } } }", null, """{"n":2}"""),
        ("query($n: Int) { list(first: $n) { id child { id name } } }", null, """{"n":50}"""),

        // Values the variables' types refuse: reported the same way.
        ("mutation($x: Int!) { change(x: $x) }", null, """{"x":"four"}"""),
        ("mutation($x: Int!) { change(x: $x) }", null, "{}"),
        ("query($where: Filter) { list(where: $where) { id } }", null, """{"where":{"status":{"eq":"SLEEPING"}}}"""),
        ("query($where: Filter) { list(where: $where) { id } }", null, """{"where":{"unknown":1}}"""),

        // A nullable variable where a non-null value is required: the library's own path.
        ("query($n: Int = 1) { required(n: $n) }", null, """{"n":2}"""),
        ("query($n: Int = 1) { required(n: $n) }", null, """{"n":null}"""),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Gives_what_the_library_gives(string query, string? operationName, string? variables, bool withRules)
    {
        var document = Parser.Parse(query);
        var inputs = variables is null ? Inputs.Empty : new GraphQLSerializer().Deserialize<Inputs>(variables) ?? Inputs.Empty;
        var rules = new CachedDocumentRuleCollection();
        if (withRules)
        {
            rules.AddRange(EveryKindOfRule);
        }

        var expected = await new DocumentValidator().ValidateAsync(Options(document, operationName, inputs, [.. rules]));
        var actual = await new CachedDocumentValidator().ValidateAsync(Options(document, operationName, inputs, rules));

        Assert.Equal(Describe(expected), Describe(actual));
    }

    [Fact]
    public async Task A_document_validated_again_gives_each_request_its_own_values_and_errors()
    {
        var document = Parser.Parse("query($after: String) { list(first: 10, after: $after) @tag(name: \"t\") { id } }");
        var validator = new CachedDocumentValidator();

        var first = await validator.ValidateAsync(Options(document, null, new Inputs(new Dictionary<string, object?> { ["after"] = "one" })));
        var second = await validator.ValidateAsync(Options(document, null, new Inputs(new Dictionary<string, object?> { ["after"] = "two" })));
        var refused = await validator.ValidateAsync(Options(document, null, new Inputs(new Dictionary<string, object?> { ["after"] = new object() })));
        var third = await validator.ValidateAsync(Options(document, null, new Inputs(new Dictionary<string, object?> { ["after"] = "three" })));

        Assert.Contains("after=String:one", Describe(first), StringComparison.Ordinal);
        Assert.Contains("after=String:two", Describe(second), StringComparison.Ordinal);
        Assert.False(refused.IsValid);
        Assert.True(third.IsValid);
        Assert.Contains("after=String:three", Describe(third), StringComparison.Ordinal);
        Assert.DoesNotContain("two", Describe(third), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cost_limit_counts_each_request_with_its_own_variables()
    {
        var document = Parser.Parse("query($n: Int) { list(first: $n) { id child { id name } } }");
        var validator = new CachedDocumentValidator();
        var rules = new CachedDocumentRuleCollection { new ComplexityValidationRule(new ComplexityOptions { MaxComplexity = 40 }) };

        var small = await validator.ValidateAsync(Options(document, null, new Inputs(new Dictionary<string, object?> { ["n"] = 2 }), rules));
        var large = await validator.ValidateAsync(Options(document, null, new Inputs(new Dictionary<string, object?> { ["n"] = 50 }), rules));

        Assert.True(small.IsValid);
        Assert.Equal("COMPLEXITY", Assert.Single(large.Errors).Code);
    }

    [Theory]
    [InlineData("query($after: String, $where: Filter) { list(first: 10, after: $after, where: $where) { id } }", false, 1)]
    [InlineData("query($n: Int = 1) { required(n: $n) }", true, 1)]
    [InlineData("query($n: Int!) { required(n: $n) }", false, 1)]
    [InlineData("{ a: list { id } b: list(first: 1) @skip(if: false) { id ...F ...F } } fragment F on Item @tag(name: \"f\") { child(depth: 2) { id } }", false, 4)]
    public void Works_out_once_where_values_are_parsed_and_whether_usages_matter(string query, bool usagesMatter, int sites)
    {
        var document = Parser.Parse(query);

        var prepared = PreparedOperation.For(TestSchema, document, document.Definitions.OfType<GraphQLOperationDefinition>().Single());

        Assert.Equal(usagesMatter, prepared.UsagesMatter);
        Assert.Equal(sites, prepared.Sites.Count);
        Assert.Empty(prepared.VariablesOnly.SelectionSet.Selections);
    }

    // The specification's rules (first visitors, some looking up variable usages), a cost limit
    // that some documents exceed (last visitor, reads the parsed arguments), argument
    // validators, and a variable visitor twice (the visitors combined).
    private static readonly IValidationRule[] EveryKindOfRule =
    [
        .. DocumentValidator.CoreRules,
        new ComplexityValidationRule(new ComplexityOptions { MaxComplexity = 40, MaxDepth = 3 }),
        FieldArgumentsAreValidRule.Instance,
        InputFieldsAndArgumentsOfCorrectLength.Instance,
        InputFieldsAndArgumentsOfCorrectLength.Instance,
    ];

    private static ValidationOptions Options(GraphQLDocument document, string? operationName, Inputs variables, IEnumerable<IValidationRule>? rules = null) => new()
    {
        Schema = TestSchema,
        Document = document,
        Operation = document.Definitions.OfType<GraphQLOperationDefinition>().First(operation => operationName is null || operation.Name?.StringValue == operationName),
        Variables = variables,
        Extensions = Inputs.Empty,
        UserContext = new Dictionary<string, object?>(),
        Metrics = Metrics.None,
        Rules = rules ?? new CachedDocumentRuleCollection(),
    };

    private static ISchema BuildSchema()
    {
        // Validation never resolves an abstract type; the schema only insists that it could.
        var schema = Schema.For(Sdl, builder =>
        {
            builder.Types.For("Found").ResolveType = _ => null!;
            builder.Types.For("Node").ResolveType = _ => null!;
        });
        schema.Initialize();
        return schema;
    }

    // Everything the executer reads from a validation result, in document order.
    private static string Describe(IValidationResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"valid={result.IsValid}\n");
        foreach (var error in result.Errors)
        {
            text.Append(CultureInfo.InvariantCulture, $"error {error.Code}: {error.Message} at {string.Join(",", error.Locations?.Select(location => $"{location.Line}:{location.Column}") ?? [])}\n");
        }

        foreach (var variable in result.Variables ?? Variables.None)
        {
            text.Append(CultureInfo.InvariantCulture, $"variable {variable.Name}={Value(variable.Value)} default={variable.IsDefault} specified={variable.ValueSpecified}\n");
        }

        foreach (var (field, arguments) in (result.ArgumentValues ?? new Dictionary<GraphQLField, IDictionary<string, ArgumentValue>>()).OrderBy(entry => entry.Key.Location.Start))
        {
            text.Append(CultureInfo.InvariantCulture, $"field {field.Name.StringValue}@{field.Location.Start}: {Arguments(arguments)}\n");
        }

        foreach (var (node, directives) in (result.DirectiveValues ?? new Dictionary<ASTNode, IDictionary<string, DirectiveInfo>>()).OrderBy(entry => entry.Key.Location.Start))
        {
            foreach (var (name, directive) in directives.OrderBy(entry => entry.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"directive {node.Kind}@{node.Location.Start} {name}: {Arguments(directive.Arguments)}\n");
            }
        }

        return text.ToString();
    }

    private static string Arguments(IDictionary<string, ArgumentValue> arguments) =>
        string.Join(", ", arguments.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => $"{entry.Key}={Value(entry.Value.Value)} ({entry.Value.Source})"));

    private static string Value(object? value) => value switch
    {
        null => "null",
        string text => $"String:{text}",
        IDictionary<string, object?> fields => "{" + string.Join(", ", fields.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => $"{entry.Key}: {Value(entry.Value)}")) + "}",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Value)) + "]",
        _ => $"{value.GetType().Name}:{Convert.ToString(value, CultureInfo.InvariantCulture)}",
    };
}
