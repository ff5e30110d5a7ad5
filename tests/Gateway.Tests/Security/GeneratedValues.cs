using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Security;

/// <summary>A generated input value, written either as a GraphQL literal or as a JSON variable value.</summary>
internal abstract record GeneratedValue
{
    public abstract string Literal { get; }

    public abstract JsonNode? Json { get; }

    /// <summary>A number, string, boolean or null: JSON and GraphQL write these alike.</summary>
    public static GeneratedValue Raw(string text) => new RawValue(text);

    public static GeneratedValue String(string text) => new RawValue(JsonSerializer.Serialize(text));
}

internal sealed record RawValue(string Text) : GeneratedValue
{
    public override string Literal => Text;

    public override JsonNode? Json => JsonNode.Parse(Text);
}

internal sealed record EnumValue(string Name) : GeneratedValue
{
    public override string Literal => Name;

    public override JsonNode? Json => JsonValue.Create(Name);
}

internal sealed record ListValue(IReadOnlyList<GeneratedValue> Items) : GeneratedValue
{
    public override string Literal => "[" + string.Join(", ", Items.Select(item => item.Literal)) + "]";

    public override JsonNode? Json => new JsonArray([.. Items.Select(item => item.Json)]);
}

internal sealed record ObjectValue(IReadOnlyList<KeyValuePair<string, GeneratedValue>> Fields) : GeneratedValue
{
    public override string Literal => "{" + string.Join(", ", Fields.Select(pair => $"{pair.Key}: {pair.Value.Literal}")) + "}";

    public override JsonNode? Json => new JsonObject(Fields.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.Json)));
}

/// <summary>
/// Values for arguments and input fields, by type: mostly ones that make sense for the field
/// (real cursors, project ids, enum values), often ones at or past the limits, sometimes of the
/// wrong type altogether.
/// </summary>
internal sealed class GeneratedValues(Random random, SchemaModel schema, string cursor, IReadOnlyList<string> entityIds)
{
    private static readonly string[] PageSizes = ["0", "1", "2", "5", "10", "100"];
    private static readonly string[] ValidProjects = ["gen-0", "gen-0", "gen-1"];
    private static readonly string[] ValidDates = ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000+08:00", "2020-06-30T23:59:59.999Z"];
    private static readonly string[] Ints = ["0", "1", "2", "5", "10", "100", "101", "5000", "-1", "-5000", "2147483647", "-2147483648", "2147483648", "99999999999999999999", "1.5", "1e3"];
    private static readonly string[] Projects = ["gen-0", "gen-0", "gen-1", "gen-2", "", "../x", "p q", "p%2Fq", new string('p', 65)];
    private static readonly string[] Dates = ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000+08:00", "1990-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01", "yesterday", ""];
    private static readonly string[] Typenames = ["QualityTaskInstance", "QualityTaskInstance", "QualityTaskInstance", "Nope", "Query", "", "QualityTaskInstanceFilterInput", "_Any"];
    private static readonly string[] Texts = ["", " ", "x", "quality job", "\"quoted\"", "back\\slash", "ünïcødé ✓", "line\nbreak", "<script>", new string('n', 300)];

    /// <summary>True for an operation that is broken on purpose; false for one meant to be valid (it may still fail, e.g. on a cursor).</summary>
    public bool Hostile { get; set; }

    public GeneratedValue For(TypeRef type, string name, int depth = 0)
    {
        if (Mangled(0.1) || depth > 3)
        {
            return Wrong(depth);
        }

        switch (type.Kind)
        {
            case "NON_NULL":
                return Mangled(0.05) ? GeneratedValue.Raw("null") : For(type.OfType!, name, depth);
            case "LIST":
                // A single value where a list is expected is valid input coercion.
                return random.Chance(0.3) ? For(type.OfType!, name, depth + 1)
                    : new ListValue([.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => For(type.OfType!, name, depth + 1))]);
        }

        var named = schema.Types.TryGetValue(type.Name!, out var found) ? found : null;
        return (type.Name, named?.Kind) switch
        {
            ("Int", _) => GeneratedValue.Raw(random.Pick(Hostile ? Ints : PageSizes)),
            ("Boolean", _) => GeneratedValue.Raw(random.Chance(0.5) ? "true" : "false"),
            ("DateTime", _) => Mangled(0.1) ? GeneratedValue.Raw("1700000000000") : GeneratedValue.String(random.Pick(Hostile ? Dates : ValidDates)),
            ("_Any", _) => Representation(),
            (_, "ENUM") => new EnumValue(Mangled(0.2) ? random.Pick(["NOPE", "failed", "__typename"]) : random.Pick(named!.EnumValues)),
            (_, "INPUT_OBJECT") => InputObject(named!, depth),
            _ => GeneratedValue.String(Text(name)),
        };
    }

    private string Text(string name) => name switch
    {
        "projectId" => random.Pick(Hostile ? Projects : ValidProjects),
        "after" or "before" => Hostile ? Cursor() : cursor,
        "name" when !Hostile || random.Chance(0.6) => Mangled(0.2) ? "" : random.Pick([.. schema.Types.Keys]),
        _ => Hostile ? random.Pick(Texts) : random.Pick(["quality job", "x", "ünïcødé ✓"]),
    };

    private string Cursor() => random.Next(6) switch
    {
        0 or 1 => cursor,
        2 => cursor[..random.Next(cursor.Length)],
        3 => random.Mutate(cursor),
        4 => Convert.ToBase64String(random.Bytes(random.Next(1, 48))),
        _ => random.Pick(["", "bm90LWEtY3Vyc29y", "////", cursor + cursor]),
    };

    private ObjectValue InputObject(NamedType type, int depth)
    {
        var fields = type.InputFields.Where(_ => random.Chance(0.5)).Select(field => KeyValuePair.Create(field.Name, For(field.Type, field.Name, depth + 1))).ToList();
        if (Mangled(0.1))
        {
            fields.Add(KeyValuePair.Create("noSuchField", GeneratedValue.Raw("1")));
        }

        return new ObjectValue(fields);
    }

    private GeneratedValue Representation()
    {
        if (Mangled(0.1))
        {
            return Wrong(0);
        }

        var fields = new List<KeyValuePair<string, GeneratedValue>>();
        if (!Mangled(0.1))
        {
            fields.Add(KeyValuePair.Create("__typename", Mangled(0.1) ? GeneratedValue.Raw("7") : GeneratedValue.String(Hostile ? random.Pick(Typenames) : "QualityTaskInstance")));
        }

        if (!Mangled(0.1))
        {
            var id = (Hostile ? random.Next(5) : 0) switch
            {
                0 or 1 => GeneratedValue.String(random.Pick(entityIds)),
                2 => GeneratedValue.Raw(random.Pick(["12", "1.5", "true", "99999999999999999999"])),
                _ => GeneratedValue.String(random.Pick(["1", "x", "", "1000000000000000001", " 1"])),
            };
            fields.Add(KeyValuePair.Create("id", id));
        }

        return new ObjectValue(fields);
    }

    private bool Mangled(double probability) => Hostile && random.Chance(probability);

    /// <summary>A value of some other kind than the type asks for.</summary>
    private GeneratedValue Wrong(int depth) => random.Next(depth > 2 ? 4 : 6) switch
    {
        0 => GeneratedValue.Raw(random.Pick(Ints)),
        1 => GeneratedValue.String(random.Pick(Texts)),
        2 => GeneratedValue.Raw(random.Pick(["true", "null"])),
        3 => new EnumValue(random.Pick(["FAILED", "NOPE"])),
        4 => new ListValue([Wrong(depth + 1), Wrong(depth + 1)]),
        _ => new ObjectValue([KeyValuePair.Create("eq", Wrong(depth + 1))]),
    };
}
