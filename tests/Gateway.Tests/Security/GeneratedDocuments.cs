using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Security;

/// <summary>One generated operation: its document, its variables (any JSON, even not an object) and its operation name.</summary>
internal sealed record GeneratedOperation(string Query, JsonNode? Variables, string? OperationName);

/// <summary>
/// Documents built from the schema: random fields with random arguments, aliases, fragments
/// and variables, most of them valid, many broken on purpose (unknown fields and arguments,
/// missing selections, wrong variable types, operations the schema lacks, truncated text).
/// </summary>
internal sealed class GeneratedDocuments(Random random, SchemaModel schema, GeneratedValues values)
{
    private const int MaxDepth = 5;
    private static readonly string[] Tokens = ["{", "}", "(", ")", ":", "$", "!", "...", "@skip", "\"", "#", "on", "fragment", "query"];

    private bool _hostile;

    public GeneratedOperation Next(int index)
    {
        // Half the operations are broken on purpose; the other half are meant to run.
        _hostile = values.Hostile = random.Chance(0.5);
        var document = new Document();
        var selection = SelectionSet(schema.Query, 0, document);
        var keyword = random.Next(10) switch
        {
            0 when _hostile => "mutation",
            1 when _hostile => "subscription",
            < 3 => "",
            _ => "query",
        };
        var name = $"Op{index}";
        var header = new StringBuilder();
        if (keyword.Length > 0 || document.Variables.Count > 0)
        {
            header.Append(keyword.Length > 0 ? keyword : "query").Append(' ').Append(name);
            if (document.Variables.Count > 0)
            {
                header.Append('(').AppendJoin(", ", document.Variables.Select(variable => $"${variable.Name}: {variable.Type}")).Append(')');
            }

            header.Append(' ');
        }

        var text = header + selection + string.Concat(document.Fragments);
        return new GeneratedOperation(Mangled(0.3) ? Mangle(text) : text, Variables(document), header.Length > 0 && random.Chance(0.5) ? name : null);
    }

    private string SelectionSet(NamedType type, int depth, Document document)
    {
        var selections = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Selection(type, depth, document));
        return "{ " + string.Join(' ', selections) + " }";
    }

    private string Selection(NamedType type, int depth, Document document)
    {
        if (type.Kind == "UNION" || random.Chance(0.06))
        {
            var on = type.Kind == "UNION" ? schema.Types[random.Pick(type.PossibleTypes)] : type;
            return random.Chance(0.7) || type.Kind == "UNION"
                ? $"... on {on.Name} {SelectionSet(on, depth + 1, document)}"
                : document.Fragment(on.Name, SelectionSet(on, depth + 1, document));
        }

        if (random.Chance(0.08) || type.Fields.Count == 0)
        {
            return "__typename";
        }

        if (Mangled(0.05))
        {
            return "noSuchField";
        }

        // Unaliased, two selections of one field with different arguments cannot be merged;
        // a valid operation aliases every field that takes arguments.
        var field = random.Pick(type.Fields);
        var text = new StringBuilder();
        if (random.Chance(0.1) || (!_hostile && field.Args.Count > 0))
        {
            text.Append('a').Append(document.Aliases++).Append(": ");
        }

        text.Append(field.Name);
        var arguments = field.Args
            .Where(arg => arg.Type.Kind == "NON_NULL" ? !Mangled(0.05) : random.Chance(0.5))
            .Select(arg => $"{arg.Name}: {Argument(arg, document)}")
            .ToList();
        if (Mangled(0.05))
        {
            arguments.Add("noSuchArgument: 1");
        }

        if (arguments.Count > 0)
        {
            text.Append('(').AppendJoin(", ", arguments).Append(')');
        }

        var named = schema.Types[field.Type.Named.Name!];
        if (named.IsComposite != Mangled(0.05))
        {
            // A composite field needs a selection and a leaf may not have one; the small chance flips that.
            text.Append(' ').Append(depth >= MaxDepth || !named.IsComposite ? "{ __typename }" : SelectionSet(named, depth + 1, document));
        }

        return text.ToString();
    }

    private string Argument(InputValue argument, Document document)
    {
        var value = values.For(argument.Type, argument.Name);
        if (!random.Chance(0.25))
        {
            return value.Literal;
        }

        // As a variable: usually declared with the argument's own type, sometimes with one that does not fit.
        var type = (_hostile ? random.Next(6) : 2) switch
        {
            0 => argument.Type.Kind == "NON_NULL" ? argument.Type.OfType!.ToString() : argument.Type + "!",
            1 => random.Pick(["Int", "String", "Boolean", "[Int]", "Nope", "QualityTaskInstanceFilterInput"]),
            _ => argument.Type.ToString(),
        };
        return "$" + document.Declare(type, value);
    }

    private JsonNode? Variables(Document document)
    {
        switch (_hostile ? random.Next(20) : 2)
        {
            case 0:
                return JsonNode.Parse("[1]");
            case 1:
                return JsonValue.Create("not an object");
        }

        if (document.Variables.Count == 0 && random.Chance(0.7))
        {
            return null;
        }

        // Sometimes one is left out (a required one then fails), sometimes an extra one is sent.
        var json = new JsonObject();
        foreach (var variable in document.Variables.Where(_ => !Mangled(0.1)))
        {
            json[variable.Name] = variable.Value.Json;
        }

        if (Mangled(0.1))
        {
            json["unused"] = 1;
        }

        return json;
    }

    private bool Mangled(double probability) => _hostile && random.Chance(probability);

    private string Mangle(string text) => random.Next(3) switch
    {
        0 => text[..random.Next(text.Length)],
        1 => text.Remove(random.Next(text.Length), 1),
        _ => text.Insert(random.Next(text.Length), " " + random.Pick(Tokens) + " "),
    };

    /// <summary>What a document collects while its selection is generated: variables and named fragments.</summary>
    private sealed class Document
    {
        public List<(string Name, string Type, GeneratedValue Value)> Variables { get; } = [];

        public List<string> Fragments { get; } = [];

        public int Aliases { get; set; }

        public string Declare(string type, GeneratedValue value)
        {
            var name = $"v{Variables.Count}";
            Variables.Add((name, type, value));
            return name;
        }

        public string Fragment(string on, string selection)
        {
            var name = $"F{Fragments.Count}";
            Fragments.Add($" fragment {name} on {on} {selection}");
            return "..." + name;
        }
    }
}
