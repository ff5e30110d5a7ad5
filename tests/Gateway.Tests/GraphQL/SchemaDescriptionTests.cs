using Gateway.Tests.Infrastructure;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.GraphQL;

/// <summary>
/// The IDE's schema reference is where people learn this API: every public type, field,
/// argument, enum value and input field says what it means. Federation's own elements (the
/// _-prefixed ones and link__*), introspection and the built-in scalars are GraphQL's, not ours.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SchemaDescriptionTests(GatewayFixture fixture)
{
    private static readonly HashSet<string> BuiltInScalars = ["String", "Int", "Float", "Boolean", "ID"];

    [Fact]
    public void Every_public_schema_element_has_a_description()
    {
        var schema = fixture.Gateway.Services.GetRequiredService<ISchema>();
        var missing = new List<string>();
        foreach (var type in schema.AllTypes.Where(IsOurs))
        {
            Require(type.Name, type.Description, missing);
            switch (type)
            {
                case IComplexGraphType complex:
                    foreach (var field in complex.Fields.Where(field => !field.Name.StartsWith('_')))
                    {
                        Require($"{type.Name}.{field.Name}", field.Description, missing);
                        foreach (var argument in field.Arguments ?? [])
                        {
                            Require($"{type.Name}.{field.Name}({argument.Name})", argument.Description, missing);
                        }
                    }

                    break;
                case EnumerationGraphType enumeration:
                    foreach (var value in enumeration.Values)
                    {
                        Require($"{type.Name}.{value.Name}", value.Description, missing);
                    }

                    break;
            }
        }

        Assert.True(missing.Count == 0, "Without a description: " + string.Join(", ", missing));
    }

    private static bool IsOurs(IGraphType type) =>
        !type.Name.StartsWith('_') && !type.Name.StartsWith("link__", StringComparison.Ordinal) && !type.Name.StartsWith("federation__", StringComparison.Ordinal) && !BuiltInScalars.Contains(type.Name);

    private static void Require(string element, string? description, List<string> missing)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            missing.Add(element);
        }
    }
}
