using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Security;

/// <summary>A type reference as introspection gives it: a named type, or NON_NULL / LIST around one.</summary>
internal sealed record TypeRef(string Kind, string? Name, TypeRef? OfType)
{
    public TypeRef Named => OfType?.Named ?? this;

    public static TypeRef From(JsonNode node) =>
        new(node["kind"]!.GetValue<string>(), node["name"]?.GetValue<string>(), node["ofType"] is { } inner ? From(inner) : null);

    /// <summary>The type as a variable declaration writes it, e.g. <c>[_Any!]!</c>.</summary>
    public override string ToString() => Kind switch
    {
        "NON_NULL" => OfType + "!",
        "LIST" => "[" + OfType + "]",
        _ => Name!,
    };
}

internal sealed record InputValue(string Name, TypeRef Type);

internal sealed record FieldDefinition(string Name, IReadOnlyList<InputValue> Args, TypeRef Type);

internal sealed record NamedType(string Kind, string Name, IReadOnlyList<FieldDefinition> Fields, IReadOnlyList<InputValue> InputFields, IReadOnlyList<string> EnumValues, IReadOnlyList<string> PossibleTypes)
{
    public bool IsComposite => Kind is "OBJECT" or "INTERFACE" or "UNION";
}

/// <summary>
/// The served schema, read through introspection from the running gateway: documents are
/// generated from what clients can see, so a new field or argument is fuzzed without a change here.
/// </summary>
internal sealed class SchemaModel
{
    private const string Introspection = """
        {
          __schema {
            queryType { name }
            types {
              kind name
              fields(includeDeprecated: true) { name args { name type { ...TypeRef } } type { ...TypeRef } }
              inputFields { name type { ...TypeRef } }
              enumValues(includeDeprecated: true) { name }
              possibleTypes { name }
            }
          }
        }
        fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
        """;

    private SchemaModel(IReadOnlyDictionary<string, NamedType> types, NamedType query)
    {
        Types = types;
        Query = query;
    }

    public IReadOnlyDictionary<string, NamedType> Types { get; }

    public NamedType Query { get; }

    public static async Task<SchemaModel> LoadAsync(GraphQLClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsync(Introspection);
        Assert.True(response.Errors is null, response.ToString());
        var schema = response.Data["__schema"]!;
        var types = schema["types"]!.AsArray().Select(type => Read(type!)).ToDictionary(type => type.Name, StringComparer.Ordinal);

        // The meta-fields are not listed among Query's fields, but clients send them like any other.
        var queryName = schema["queryType"]!["name"]!.GetValue<string>();
        var meta = new FieldDefinition[]
        {
            new("__schema", [], new TypeRef("NON_NULL", null, new TypeRef("OBJECT", "__Schema", null))),
            new("__type", [new InputValue("name", new TypeRef("NON_NULL", null, new TypeRef("SCALAR", "String", null)))], new TypeRef("OBJECT", "__Type", null)),
        };
        var query = types[queryName] with { Fields = [.. types[queryName].Fields, .. meta] };
        types[queryName] = query;
        return new SchemaModel(types, query);
    }

    private static NamedType Read(JsonNode type) => new(
        type["kind"]!.GetValue<string>(),
        type["name"]!.GetValue<string>(),
        [.. (type["fields"] as JsonArray ?? []).Select(field => new FieldDefinition(field!["name"]!.GetValue<string>(), [.. field["args"]!.AsArray().Select(arg => ReadInput(arg!))], TypeRef.From(field["type"]!)))],
        [.. (type["inputFields"] as JsonArray ?? []).Select(field => ReadInput(field!))],
        [.. (type["enumValues"] as JsonArray ?? []).Select(value => value!["name"]!.GetValue<string>())],
        [.. (type["possibleTypes"] as JsonArray ?? []).Select(possible => possible!["name"]!.GetValue<string>())]);

    private static InputValue ReadInput(JsonNode value) => new(value["name"]!.GetValue<string>(), TypeRef.From(value["type"]!));
}
